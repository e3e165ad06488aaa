import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import yazl from "yazl";

/**
 * Zips for tests, made with the same library the bridge writes with, and the hostile ones a
 * careful zip writer refuses to make (yazl will not write `..` or absolute names), made by
 * patching a well-formed zip's bytes afterwards.
 */

export interface ZipInput {
  name: string;
  data: string | Buffer;
  mode?: number;
  compress?: boolean;
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function makeZip(entries: ZipInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data), e.name, { mode: e.mode, compress: e.compress ?? true });
  zip.end();
  return bytes(zip.outputStream as Readable);
}

/** Every entry of a zip, by name, inflated (for reading what the bridge exported). */
export async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of file.eachEntry()) out.set(entry.fileName, await bytes(await file.openReadStreamPromise(entry)));
  file.close();
  return out;
}

/** Renames an entry in place (local header and central directory): `to` must be as long as `from`. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error("renameEntry needs names of the same length");
  const out = Buffer.from(zip);
  let found = 0;
  for (let i = out.indexOf(a); i !== -1; i = out.indexOf(a, i + 1)) {
    b.copy(out, i);
    found++;
  }
  if (found < 2) throw new Error(`${from} not found in both headers`);
  return out;
}

/** Rewrites what the central directory declares as an entry's unpacked size. */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let i = out.indexOf(signature); i !== -1 && i + 46 <= out.length; i = out.indexOf(signature, i + 4)) {
    const nameLength = out.readUInt16LE(i + 28);
    if (out.subarray(i + 46, i + 46 + nameLength).toString() !== name) continue;
    out.writeUInt32LE(size, i + 24);
    return out;
  }
  throw new Error(`${name} not in the central directory`);
}

/** Every file under `root` with a hash of its bytes: compare two to prove nothing was written. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(root, p);
      if (e.isDirectory()) {
        out[`${rel}/`] = "dir";
        walk(p);
      } else
        out[rel] = e.isSymbolicLink() ? `link:${fs.readlinkSync(p)}` : crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}
