import { AppError, HTTP_STATUS } from "../errors";
import { MAX_UPLOAD_BYTES } from "../services/uploads";
import { createAuthRoutes } from "./auth-routes";
import type { HttpRoute } from "./types";
import { createShareRoutes } from "./share-routes";
import { sendError, sendJson } from "./respond";

/** Image uploads for the composer (raw body, its Content-Type the image type). */
const uploadRoute: HttpRoute = {
  method: "POST",
  path: "/api/uploads",
  access: "owner",
  async handle({ req, res, services }) {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) return sendError(res, 413, "Images up to 10 MB, please.");
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_UPLOAD_BYTES) return sendError(res, 413, "Images up to 10 MB, please.");
      chunks.push(chunk as Buffer);
    }
    try {
      sendJson(res, 200, await services.uploads.save(req.headers["content-type"] ?? "", Buffer.concat(chunks)));
    } catch (err) {
      if (err instanceof AppError) return sendError(res, HTTP_STATUS[err.code], err.message);
      throw err;
    }
  },
};

/** Every plain HTTP route of the bridge (a test walks this list). */
export function createRoutes(options: Parameters<typeof createAuthRoutes>[0] & Parameters<typeof createShareRoutes>[0] = {}): HttpRoute[] {
  return [...createAuthRoutes(options), ...createShareRoutes(options), uploadRoute];
}
