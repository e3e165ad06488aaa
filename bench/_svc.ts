import fs from "node:fs"; import os from "node:os"; import path from "node:path";
import { spawn } from "node-pty";
import { openDatabase } from "../server/db";
import { createServices } from "../server/services";
const MARKER = "pty-bench-done";
const command = (file: string) => `cat ${file}; echo ${MARKER.slice(0, 4)}''${MARKER.slice(4)}\r`;
const file = "/tmp/big100.txt";
if (!fs.existsSync(file)) { const line = "x".repeat(99) + "\n"; fs.writeFileSync(file, line.repeat(1_000_000)); }
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-"));
const db = openDatabase(dataDir);
const services = createServices(db, { dataDir, terminals: { batchMs: Number(process.env.B_MS ?? 5), maxBatchBytes: Number(process.env.B_BYTES ?? 262144), scrollbackBytes: Number(process.env.B_RING ?? 2097152) } });
const agent = await services.agents.create({ name: "b", folder: "/tmp" });
await services.agents.updateSettings(agent.id, { terminalShell: "/bin/sh" });
async function raw() {
  const pty = spawn("/bin/sh", [], { name: "xterm-256color", cols: 120, rows: 40, cwd: "/tmp", env: { ...process.env, TERM: "xterm-256color" } as Record<string, string>, encoding: null });
  await new Promise((r) => setTimeout(r, 300));
  let tail = ""; const t0 = performance.now();
  await new Promise<void>((res) => { pty.onData((d) => { const b = d as unknown as Buffer; tail = (tail + b.subarray(-64).toString("latin1")).slice(-64); if (tail.includes(`${MARKER}\r\n`)) res(); }); pty.write(command(file)); });
  const ms = performance.now() - t0; pty.kill("SIGKILL"); return ms;
}
async function svc() {
  const t = await services.terminals.create(agent.id, { cols: 120, rows: 40 });
  let tail = ""; let done!: () => void; const p = new Promise<void>((r) => (done = r));
  const a = services.terminals.attach(t.id, { data(b) { tail = (tail + b.subarray(-64).toString("latin1")).slice(-64); if (tail.includes(`${MARKER}\r\n`)) done(); }, exit() {}, closed() {} });
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now(); a.input(command(file)); await p; const ms = performance.now() - t0;
  a.detach(); await services.terminals.close(t.id); return ms;
}
const mode = process.argv[2] ?? "both";
const cpu = async (f: () => Promise<number>) => { const c0 = process.cpuUsage(); const ms = await f(); const u = process.cpuUsage(c0); return `${ms.toFixed(0)}ms u${(u.user / 1000).toFixed(0)} s${(u.system / 1000).toFixed(0)}`; };
for (let i = 0; i < 4; i++) { const r = mode !== "svc" ? await cpu(raw) : "-"; const s = mode !== "raw" ? await cpu(svc) : "-"; console.log(`raw ${r} | svc ${s}`); }
await services.shutdown(); process.exit(0);
