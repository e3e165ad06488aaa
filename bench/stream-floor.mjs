// The floor of bench/stream.ts: the same simulator processes (the invocation the bridge would
// run, niced as the bridge nices them) read by a bare process that only splits and timestamps
// their lines. No bridge, no database, no clients: what this machine's scheduling alone costs.
// argv: <invocation JSON> <copies> <niceness>. Prints one JSON line { latencies, ats } where a
// latency is this process's receipt of a padding chunk minus the time the simulator wrote it
// (MAESTRO_SIM_STAMP), each chunk counted once, at its first sight.
import { spawn } from "node:child_process";
import os from "node:os";

const [invocationJson, copies, niceness] = process.argv.slice(2);
const invocation = JSON.parse(invocationJson);
const latencies = [];
const ats = [];
const SENT = /padding (\d+)\/\d+ sent (\d+)\]/g;

function follow() {
  const child = spawn(invocation.command, invocation.args, {
    cwd: invocation.cwd,
    env: { ...process.env, PWD: invocation.cwd, ...invocation.env },
    stdio: [invocation.stdin === null ? "ignore" : "pipe", "pipe", "ignore"],
    detached: true,
  });
  try {
    os.setPriority(child.pid, Math.min(19, os.getPriority(process.pid) + Number(niceness)));
  } catch {
    /* not permitted: as the bridge, it runs at our priority */
  }
  if (invocation.stdin !== null) {
    child.stdin.on("error", () => {});
    if (invocation.stdinOpen) child.stdin.write(invocation.stdin);
    else child.stdin.end(invocation.stdin);
  }
  const seen = new Set();
  let rest = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text) => {
    const now = Date.now();
    const lines = (rest + text).split("\n");
    rest = lines.pop();
    for (const line of lines) {
      // The turn's end: a stream-json CLI waits for more input until its stdin closes.
      if (invocation.stdinOpen && line.startsWith('{"type":"result"')) child.stdin.end();
      for (const m of line.matchAll(SENT)) {
        if (seen.has(m[1])) continue;
        seen.add(m[1]);
        latencies.push(now - Number(m[2]));
        ats.push(Number(m[2]));
      }
    }
  });
  return new Promise((resolve) => child.once("close", resolve));
}

await Promise.all(Array.from({ length: Number(copies) }, follow));
process.stdout.write(`${JSON.stringify({ latencies, ats })}\n`, () => process.exit(0));
