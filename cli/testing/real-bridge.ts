import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeBridgeInfo } from "../../server/data-dir";
import { createRoutes } from "../../server/http/routes";
import { createTestServices, startTestBridge, tempDir } from "../../server/testing/harness";
import { maestro, ROOT, type CliResult } from "./fake-bridge";

/**
 * The real bridge for the CLI's data-command tests, in the test's process: the bridge's HTTP
 * server with its real routes, tRPC router, SSE subscriptions and services on a real SQLite
 * database in a temp data dir, and the simulator as the provider. It writes bridge.json and the
 * CLI token with the helpers `server/main.ts` uses, so the real `bin/maestro.mjs`, run as a
 * child process, finds it exactly as it finds `maestro start`. Only Next (the pages) is left
 * out: no CLI command asks for a page, and a Next build per test file would cost minutes.
 */
export async function startRealBridge() {
  const simHome = tempDir("maestro-cli-sim-");
  // The simulator (a child of the services) keeps its sessions here, not in the user's home.
  process.env.MAESTRO_SIM_HOME = simHome;
  const services = createTestServices({ turns: { idleTimeoutMs: 30_000, stopGraceMs: 500 } });
  const instanceId = randomUUID();
  const bridge = await startTestBridge(services, { routes: createRoutes({ instanceId }) });
  // What server/main.ts does once listening: the tunnel points at this port.
  services.tunnel.setTarget("127.0.0.1", bridge.port);
  await services.auth.ensureCliToken();
  writeBridgeInfo(services.dataDir, {
    pid: process.pid,
    host: "127.0.0.1",
    port: bridge.port,
    url: bridge.base,
    startedAt: new Date().toISOString(),
    instanceId,
  });
  const home = services.dataDir;
  let closed = false;
  return {
    home,
    url: bridge.base,
    services,
    /** The real bin with `--data-dir` of this bridge. */
    cli: (args: string[], env: Record<string, string> = {}): Promise<CliResult> => maestro(["--data-dir", home, ...args], env),
    /** Stops serving (bridge.json stays, as after a crash; the CLI must tell it is gone). */
    async stop() {
      if (closed) return;
      closed = true;
      await bridge.close();
    },
    async close() {
      await this.stop();
      await services.cleanup();
      fs.rmSync(simHome, { recursive: true, force: true });
    },
  };
}

export type RealBridge = Awaited<ReturnType<typeof startRealBridge>>;

/**
 * The bridge as its own process (`server/main.ts --dev` on a temp data dir, the simulator's
 * sessions in it too), ready once bridge.json is written and /api/health answers: /api is served
 * before Next is ready, and no CLI command asks for a page, so `--dev` spares the test a
 * production build (Next 16 keeps dev output apart in `.next/dev`).
 */
export async function startBridgeProcess(home: string) {
  const { MAESTRO_URL: _u, MAESTRO_TOKEN: _t, SHELL: _s, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--no-qr", "--dev", "--port", "0"], {
    cwd: ROOT,
    env: { ...inherited, MAESTRO_HOME: home, MAESTRO_SIM_HOME: path.join(home, "simulator"), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const file = path.join(home, "bridge.json");
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bridge exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the bridge wrote no bridge.json in 60 s:\n${output}`);
    if (fs.existsSync(file)) {
      const { url } = JSON.parse(fs.readFileSync(file, "utf8")) as { url: string };
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { child, url, output: () => output, stop: () => stopChild(child) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}
