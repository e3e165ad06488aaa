import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const TYPES: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

/**
 * Images attached in the composer. Stored in the data dir under random names; a turn refers to
 * them by id, never by a client-chosen path.
 */
export function createUploadsService(dataDir: string) {
  const dir = path.join(dataDir, "uploads");
  return {
    async save(contentType: string, bytes: Buffer): Promise<{ id: string }> {
      const ext = TYPES[contentType.split(";")[0]!.trim().toLowerCase()];
      if (!ext) throw new AppError("BAD_INPUT", "Attach a PNG, JPEG, GIF or WebP image.");
      if (bytes.length === 0) throw new AppError("BAD_INPUT", "The image is empty.");
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const id = `${randomBytes(12).toString("hex")}.${ext}`;
      await fs.writeFile(path.join(dir, id), bytes, { mode: 0o600 });
      return { id };
    },
    /** The file of an upload id; anything not shaped like one of ours is refused. */
    async pathOf(id: string): Promise<string> {
      if (!/^[0-9a-f]{24}\.(png|jpg|gif|webp)$/.test(id)) throw new AppError("BAD_INPUT", "Unknown attachment.", { field: "images" });
      const file = path.join(dir, id);
      await fs.access(file).catch(() => {
        throw new AppError("NOT_FOUND", "That attachment is gone; attach it again.", { field: "images" });
      });
      return file;
    },
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
