import fs from "node:fs";
import path from "node:path";

/** Creates the data dir (private to this user) and proves it is writable. Throws one clear line. */
export function ensureDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new Error(
      `cannot write to the data dir ${dataDir} (${code}). Set MAESTRO_HOME (or --data-dir) to a writable folder, or fix its permissions.`,
    );
  }
}

export interface BridgeInfo {
  pid: number;
  host: string;
  port: number;
  url: string;
  startedAt: string;
  /** Random per start: `GET /api/health` answers the same one, so a reused pid or port is told apart. */
  instanceId: string;
}

export function bridgeInfoFile(dataDir: string) {
  return path.join(dataDir, "bridge.json");
}

/**
 * Writes bridge.json whole or not at all (a temporary file renamed over it), so a CLI reading it
 * while the bridge starts never sees half a file.
 */
export function writeBridgeInfo(dataDir: string, info: BridgeInfo): void {
  const file = bridgeInfoFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Where a running bridge listens, so `npm run pair` and the CLI can print the right URL. */
export function readBridgeInfo(dataDir: string): BridgeInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(bridgeInfoFile(dataDir), "utf8")) as BridgeInfo;
    process.kill(info.pid, 0); // throws when that process is gone
    return info;
  } catch {
    return null;
  }
}
