import { createHash, randomBytes } from "node:crypto";

/** A fresh 256-bit secret, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What we store: tokens are never kept in the clear. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Shape check before touching the database: 43 base64url chars. */
export function looksLikeToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}
