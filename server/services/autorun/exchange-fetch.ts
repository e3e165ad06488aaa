import { constants as fsc } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { formatBytes } from "../../../lib/autorun/documents";
import { AppError } from "../../errors";
import { resolveInside } from "../files/confine";

/**
 * The Exchange's two ways of reading a file: over http(s) from the registry's origin only, or
 * from a local manifest's folder on disk, confined to it. Both cap the size and time.
 */

/** A fetch that did not give the file, in words; `status` when the server answered. */
export class FetchFailure extends Error {
  override name = "FetchFailure";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (no network?)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "no network",
  CERT_HAS_EXPIRED: "its certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
};

function reasonOf(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code;
  if (code && CAUSES[code]) return CAUSES[code];
  return e?.cause?.message || e?.message || String(err);
}

const MAX_REDIRECTS = 3;

/**
 * GETs `url` and returns its body, at most `maxBytes`. Redirects are followed only within
 * `origin` (a registry that sends us elsewhere is refused), the whole exchange within `timeoutMs`.
 */
export async function fetchCapped(url: string, opts: { origin: string; maxBytes: number; timeoutMs: number }): Promise<Buffer> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      if (current.origin !== opts.origin) throw new FetchFailure(`it points to another site (${current.origin})`);
      const res = await get(current, signal);
      if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new FetchFailure("too many redirects");
        current = new URL(res.headers.get("location")!, current);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new FetchFailure(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, res.status);
      }
      return await readCapped(res, opts.maxBytes);
    }
  } catch (err) {
    if (err instanceof FetchFailure) throw err;
    throw new FetchFailure(reasonOf(err, opts.timeoutMs));
  }
}

/**
 * One GET. A kept-alive connection the server has since dropped fails before any answer
 * (undici's UND_ERR_SOCKET); a GET is safe to send again once, on a fresh connection.
 */
async function get(url: URL, signal: AbortSignal): Promise<Response> {
  const init: RequestInit = { redirect: "manual", signal, headers: { accept: "application/json, text/markdown, */*" } };
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } })?.cause?.code !== "UND_ERR_SOCKET") throw err;
    return fetch(url, init);
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length"));
  const tooBig = () => new FetchFailure(`it is over ${formatBytes(maxBytes)}`);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooBig();
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

/**
 * A local manifest's folder (`/abs` or `~/…`), its links resolved: it must be a folder. The
 * manifest is the owner's own file on the bridge, so the folder itself may be anywhere.
 */
export async function localRoot(p: string, home: string): Promise<string> {
  const expanded = p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p;
  const real = await fs.realpath(expanded).catch(() => null);
  const stat = real ? await fs.stat(real).catch(() => null) : null;
  if (!real || !stat) throw new AppError("BAD_INPUT", `The local playbook folder “${p}” does not exist.`);
  if (!stat.isDirectory()) throw new AppError("BAD_INPUT", `The local playbook path “${p}” is not a folder.`);
  return real;
}

/**
 * A file inside a local playbook folder, at most `maxBytes`; null when it is not there. A name
 * that leaves the folder, or a link that points out of it, is refused.
 */
export async function readLocal(root: string, rel: string, maxBytes: number): Promise<Buffer | null> {
  let file: string;
  try {
    file = await resolveInside(root, rel);
  } catch (err) {
    if (err instanceof AppError)
      throw new AppError("BAD_INPUT", `“${rel}” of the local playbook folder leads out of it (through a link or “..”).`);
    throw err;
  }
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fsc.O_RDONLY | fsc.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    if (code === "ELOOP") throw new AppError("BAD_INPUT", `“${rel}” of the local playbook folder is a link.`);
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AppError("BAD_INPUT", `“${rel}” of the local playbook folder is not a file.`);
    if (stat.size > maxBytes)
      throw new AppError(
        "BAD_INPUT",
        `“${rel}” of the local playbook folder is ${formatBytes(stat.size)}; the limit is ${formatBytes(maxBytes)}.`,
      );
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
