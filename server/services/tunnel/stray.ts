import fs from "node:fs";

/**
 * The pid of the cloudflared this bridge runs, kept in the data dir so a bridge that was killed
 * hard (SIGKILL, power loss) can stop the tunnel it left behind when it starts again. Only a
 * process that is still cloudflared is killed (checked in /proc where there is one).
 */
export function rememberPid(file: string | undefined, pid: number | undefined) {
  if (!file || !pid) return;
  try {
    fs.writeFileSync(file, String(pid));
  } catch {
    /* best effort */
  }
}

export function forgetPid(file: string | undefined, pid: number | undefined) {
  if (!file) return;
  try {
    if (fs.readFileSync(file, "utf8").trim() === String(pid)) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

/** Kills a cloudflared left running by an earlier bridge; returns its pid if it did. */
export function reapStray(file: string | undefined): number | null {
  if (!file) return null;
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, "utf8").trim());
  } catch {
    return null;
  }
  fs.rmSync(file, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.includes("cloudflared")) return null;
    process.kill(pid, "SIGTERM");
    return pid;
  } catch {
    return null;
  }
}
