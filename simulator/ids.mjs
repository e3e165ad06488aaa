// Identifier shapes of the real CLIs.
import { randomBytes, randomUUID } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** @param {number} n @returns {string} */
function base62(n) {
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += BASE62[bytes[i] % 62];
  return s;
}

/** UUID v4, the shape of claude and gemini session ids. */
export function uuidV4() {
  return randomUUID();
}

/** UUID v7 (time-ordered), the shape of codex thread ids. */
export function uuidV7() {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Anthropic message id, e.g. msg_01XFDUDYJgAACzvnptvVoYEL. */
export function anthropicMessageId() {
  return "msg_01" + base62(22);
}

/** Anthropic tool-use id, e.g. toolu_01A09q90qw90lq917835lq9. */
export function anthropicToolUseId() {
  return "toolu_01" + base62(22);
}

let ocCounter = 0;
let ocLast = 0;
/**
 * opencode Identifier: prefix_ + 12 hex chars (time-based, descending for sessions) + 14 base62.
 * @param {"ses"|"msg"|"prt"} prefix
 */
export function opencodeId(prefix) {
  const now = Date.now();
  if (now !== ocLast) {
    ocLast = now;
    ocCounter = 0;
  }
  ocCounter++;
  let v = BigInt(now) * 0x1000n + BigInt(ocCounter);
  if (prefix === "ses") v = ~v;
  const bytes = Buffer.alloc(6);
  for (let i = 0; i < 6; i++) bytes[i] = Number((v >> BigInt(40 - 8 * i)) & 0xffn);
  return `${prefix}_${bytes.toString("hex")}${base62(14)}`;
}

/** A git-like snapshot hash (40 hex). */
export function snapshotHash() {
  return randomBytes(20).toString("hex");
}

/** gemini tool call id: <tool>-<epoch ms>-<random>. @param {string} tool */
export function geminiToolId(tool) {
  return `${tool}-${Date.now()}-${randomBytes(6).toString("hex")}`;
}

/** True when s is a canonical UUID string. @param {string} s */
export function isUuid(s) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
