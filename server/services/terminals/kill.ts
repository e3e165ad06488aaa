import fs from "node:fs";

/** Pids of every live process in a session (Linux /proc); empty where /proc is missing. */
export function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid pgrp session …: comm may hold spaces and parens, so split after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[3]) === sid && fields[0] !== "Z") pids.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Ends a terminal's whole session: the shell is its session leader (node-pty calls setsid), so
 * the session holds the shell, its foreground job and its background jobs (which sit in process
 * groups of their own, out of reach of a group kill). SIGHUP first, as a closing terminal would;
 * whatever still lives after `graceMs` gets SIGKILL.
 */
export async function killSession(sid: number, graceMs = 500): Promise<void> {
  const members = () => [...new Set([sid, ...sessionMembers(sid)])];
  signal(-sid, "SIGHUP");
  for (const pid of members()) signal(pid, "SIGHUP");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    const alive = sessionMembers(sid);
    if (alive.length === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  signal(-sid, "SIGKILL");
  for (const pid of members()) signal(pid, "SIGKILL");
}
