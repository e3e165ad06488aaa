/**
 * bench/soak-baseline.ts — what the bridge's memory is made of before any load: each part loaded
 * alone in a fresh process (node; node with tsx; the Prisma client on a migrated database; every
 * service, without HTTP or Next; Next's production server alone, after one page), its VmRSS read
 * once it is idle. bench/soak.ts prints these next to the bridge's own figures. Run alone:
 * `npx tsx bench/soak-baseline.ts`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, rssMB } from "./soak-bridge";

const PARTS: { name: string; tsx: boolean; code: string }[] = [
  { name: "node", tsx: false, code: "" },
  { name: "node + tsx", tsx: true, code: "" },
  {
    name: "Prisma client (migrated db, one query)",
    tsx: true,
    code: `const { openDatabase } = await import(${JSON.stringify(path.join(ROOT, "server/db.ts"))});
      const db = openDatabase(process.env.SOAK_DIR); await db.agent.count();`,
  },
  {
    name: "all services (no HTTP, no Next)",
    tsx: true,
    code: `const { openDatabase } = await import(${JSON.stringify(path.join(ROOT, "server/db.ts"))});
      const { createServices } = await import(${JSON.stringify(path.join(ROOT, "server/services/index.ts"))});
      const { readServicesEnv } = await import(${JSON.stringify(path.join(ROOT, "server/env.ts"))});
      const db = openDatabase(process.env.SOAK_DIR);
      createServices(db, { dataDir: process.env.SOAK_DIR, env: readServicesEnv() }); await db.agent.count();`,
  },
  {
    name: "Next production server (after one page)",
    tsx: false,
    code: `process.env.NODE_ENV = "production";
      const { default: next } = await import("next");
      const app = next({ dev: false, dir: ${JSON.stringify(ROOT)}, hostname: "127.0.0.1", port: 0 });
      await app.prepare();
      const http = await import("node:http");
      const handle = app.getRequestHandler();
      const server = http.createServer((req, res) => handle(req, res));
      await new Promise((r) => server.listen(0, "127.0.0.1", r));
      await fetch("http://127.0.0.1:" + server.address().port + "/pair").then((r) => r.text());`,
  },
];

async function measure(part: (typeof PARTS)[number]): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-soak-base-"));
  const code = `${part.code}\nconsole.log("ready"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, [...(part.tsx ? ["--import", "tsx"] : []), "--input-type=module", "-e", code], {
    cwd: ROOT,
    env: { ...process.env, SOAK_DIR: dir, MAESTRO_HOME: dir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (c) => reject(new Error(`${part.name}: exited ${c}`)));
  });
  await new Promise((r) => setTimeout(r, 1500));
  const mb = rssMB(child.pid!);
  child.removeAllListeners("exit");
  child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
  return mb;
}

/** Each part's RSS in MB, in the order above. */
export async function measureBaseline(): Promise<{ name: string; mb: number }[]> {
  const out: { name: string; mb: number }[] = [];
  for (const part of PARTS) out.push({ name: part.name, mb: await measure(part) });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { name, mb } of await measureBaseline()) console.log(`${name}: ${mb.toFixed(1)} MB`);
}
