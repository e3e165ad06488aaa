import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { writeBridgeInfo } from "../../server/data-dir";
import { createRoutes } from "../../server/http/routes";
import { createTestServices, startTestBridge, tempDir } from "../../server/testing/harness";
import { maestro, type CliResult } from "./fake-bridge";

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
