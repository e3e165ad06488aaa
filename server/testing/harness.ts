import fs from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import type { OwnerPrincipal, Principal } from "../auth/service";
import { createContextInner } from "../context";
import { openDatabase, type Db } from "../db";
import { readServicesEnv } from "../env";
import { createBridgeServer, type BridgeOptions } from "../http/bridge";
import { createRoutes } from "../http/routes";
import { createWsRoutes } from "../http/terminal-ws";
import { appRouter } from "../routers/_app";
import { silentLogger } from "../logger";
import { createServices, type Services, type ServicesConfig } from "../services";
import { createCallerFactory } from "../trpc";

export function tempDir(prefix = "maestro-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A real SQLite database in a fresh data dir, with the whole service graph around it. The
 * services keep their database to themselves; a test that must set up or inspect rows directly
 * gets the handle here, as `db`. The environment is read as the bridge reads it, when called.
 */
export function createTestServices(
  options: Partial<Omit<ServicesConfig, "dataDir">> = {},
): Services & { db: Db; dataDir: string; cleanup(): Promise<void> } {
  const dataDir = tempDir();
  const db = openDatabase(dataDir);
  const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger, ...options });
  return {
    ...services,
    db,
    dataDir,
    async cleanup() {
      await services.shutdown();
      await db.$disconnect();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const createCaller = createCallerFactory(appRouter);

export function callerFor(services: Services, principal: Principal | null) {
  return createCaller(createContextInner({ services, principal }));
}

/** An owner session straight from the auth service (as if paired). */
export async function pairedOwner(services: Services, deviceName = "test device") {
  const { token } = await services.auth.createPairingToken();
  const { sessionToken, sessionId } = await services.auth.pair(token, { deviceName, userAgent: "vitest" });
  return { sessionToken, principal: { kind: "owner", sessionId } as OwnerPrincipal };
}

/** The real bridge HTTP server (without Next, with the real routes unless told) on an ephemeral loopback port. */
export async function startTestBridge(services: Services, options: Partial<BridgeOptions> = {}) {
  const server: Server = createBridgeServer({
    services,
    log: () => {},
    routes: createRoutes(),
    wsRoutes: createWsRoutes(services),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A share link straight from the share service, and the principal its cookie resolves to. */
export async function sharedSession(
  services: Services,
  grant: {
    scope?: "agent" | "run" | "dashboard";
    agentId?: string | null;
    runId?: string | null;
    permission: "view" | "control";
    canApprove?: boolean;
    label?: string;
    expiresInSeconds?: number;
  },
) {
  const { token, link } = await services.share.create({
    scope: grant.scope ?? "agent",
    agentId: grant.agentId ?? null,
    runId: grant.runId ?? null,
    permission: grant.permission,
    canApprove: grant.canApprove ?? false,
    label: grant.label ?? `teammate (${grant.permission})`,
    expiresInSeconds: grant.expiresInSeconds ?? 3600,
  });
  const auth = await services.share.authenticate(token);
  if (!auth?.ok) throw new Error("a fresh share link did not authenticate");
  return { token, link, principal: auth.principal, cookie: `maestro_share=${token}` };
}
