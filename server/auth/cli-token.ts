import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** `<dataDir>/cli-token`: the local CLI's Bearer token and its OwnerSession row id. */
export interface CliTokenFile {
  token: string;
  id: string;
}

export function cliTokenFile(dataDir: string) {
  return path.join(dataDir, "cli-token");
}

export function readCliTokenFile(dataDir: string): CliTokenFile | null {
  try {
    const v = JSON.parse(fs.readFileSync(cliTokenFile(dataDir), "utf8")) as Partial<CliTokenFile>;
    return typeof v.token === "string" && typeof v.id === "string" ? { token: v.token, id: v.id } : null;
  } catch {
    return null;
  }
}

/**
 * Writes the token file readable by this user only, whole or not at all: a fresh temporary file
 * created exclusively with mode 0600 (so the secret is never briefly world-readable), renamed
 * over the old one, then chmod 0600 in case the umask or an older file had other bits.
 */
export function writeCliTokenFile(dataDir: string, value: CliTokenFile): void {
  const file = cliTokenFile(dataDir);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(tmp, "wx", 0o600);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(value)}\n`);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.chmodSync(file, 0o600);
}
