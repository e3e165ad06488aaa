import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import { bridgeInfoFile, ensureDataDir, writeBridgeInfo } from "./data-dir";
import { acquireLock, lockHeldMessage, releaseLock } from "./data-lock";
import { openDatabase } from "./db";
import { errorText } from "./errors";
import { ConfigError, parseConfig, type BridgeConfig } from "./env";
import { allowedHostsFor } from "./http/allowed-hosts";
import { createBridgeServer } from "./http/bridge";
import { createRoutes } from "./http/routes";
import { createWsRoutes } from "./http/terminal-ws";
import type { NextHandlers } from "./http/types";
import { startBuild, needsBuild } from "./next-build";
import { installBridgeStop, type BridgeStop } from "./bridge-stop";
import { pairingBanner } from "./pairing-banner";
import { announceTunnel } from "./tunnel-banner";
import { createServices, type Services } from "./services";
import { lanUrls, localUrl, pairingUrl } from "./urls";
import { PROJECT_ROOT } from "./version";

/** Says what is wrong and how to fix it, in one line, and exits non-zero. */
function fail(message: string, code = 1): never {
  console.error(`maestro: ${message}`);
  process.exit(code);
}

async function startNext(config: BridgeConfig, stop: BridgeStop): Promise<NextHandlers> {
  if (!config.dev && needsBuild()) {
    console.log("Building the app (first start, or its sources changed)…");
    // In a child the event loop stays free, so a signal during the build stops it at once.
    const build = startBuild();
    stop.onStop(build.kill);
    // The build runs beside the database's start: a start that fails meanwhile (a port in use) exits without a stop.
    process.once("exit", build.kill);
    await build.done;
  }
  // Next reads NODE_ENV when it loads.
  (process.env as Record<string, string>).NODE_ENV = config.dev ? "development" : "production";
  const { default: next } = await import("next");
  const app = next({ dev: config.dev, dir: PROJECT_ROOT, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return { handle: (req, res) => handle(req, res), upgrade: (req, socket, head) => upgrade(req, socket, head) };
}

function listen(server: Server, config: BridgeConfig): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : config.port);
    });
  });
}

async function announce(services: Services, config: BridgeConfig, port: number) {
  const base = localUrl(config.host, port);
  const lan = lanUrls(config.host, port);
  console.log(`Maestro is running at ${base}${lan.length ? ` (LAN: ${lan.join(", ")})` : ""}`);
  console.log(`Data: ${config.dataDir}`);
  if (await services.auth.hasOwnerDevices()) {
    console.log("Pair another device: npm run pair");
    return;
  }
  const { token } = await services.auth.createPairingToken();
  const urls = [...lan, base].map((u) => pairingUrl(u, token));
  console.log(await pairingBanner(urls, { qr: config.qr }));
}

async function main() {
  let config: BridgeConfig;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
  try {
    ensureDataDir(config.dataDir);
  } catch (err) {
    fail((err as Error).message);
  }
  // Before migrations and recovery: recovery pauses every run left "running", which would pause
  // the live runs of another bridge (or a headless maestro) on this data dir.
  let lock: ReturnType<typeof acquireLock>;
  try {
    lock = acquireLock(config.dataDir, "bridge");
  } catch (err) {
    fail((err as Error).message); // e.g. another user's lock (LockUnreadableError)
  }
  if (!lock.ok) fail(lockHeldMessage(lock.holder, config.dataDir));
  process.on("exit", () => releaseLock(config.dataDir, lock.lock));
  // From here on every way out (a signal, the parent `maestro start` dying) stops cleanly.
  const stop = installBridgeStop();
  // Next loads, prepares (and builds first, if its sources changed) while the database opens and
  // recovers: much of its start is file reads that overlap with ours. Requests wait for it (below).
  const nextReady = startNext(config, stop);
  nextReady.catch(() => {}); // reported where it is awaited, after listen

  const db = openDatabase(config.dataDir);
  stop.onStop(() => db.$disconnect());
  const env = config.services;
  const services = createServices(db, { dataDir: config.dataDir, env });
  stop.onStop(() => services.shutdown());
  const interrupted = await services.turns.recoverInterrupted();
  if (interrupted) console.log(`Marked ${interrupted} turn(s) interrupted by the last shutdown.`);
  const pausedRuns = await services.autorun.recover();
  if (pausedRuns) console.log(`Paused ${pausedRuns} Auto Run run(s) interrupted by the last shutdown; resume them from the app.`);
  // Group chat rounds left running come back interrupted, with a Retry.
  await services.groupchat.recoverInterrupted();
  // Missions that were executing come back paused (their cut-off features pending), resumable.
  await services.missions.recoverInterrupted();
  // The local `maestro` CLI's Bearer token (<dataDir>/cli-token, 0600), kept across restarts.
  await services.auth.ensureCliToken();

  const instanceId = randomUUID();
  const server = createBridgeServer({
    services,
    dev: config.dev,
    routes: createRoutes({ pairAttemptsPerMinute: env.pairAttemptsPerMinute, instanceId }),
    wsRoutes: createWsRoutes(services),
    allowedHosts: allowedHostsFor(services, env.allowedHosts),
    next: {
      handle: async (req, res) => (await nextReady).handle(req, res),
      upgrade: async (req, socket, head) => (await nextReady).upgrade?.(req, socket, head),
    },
  });

  let port: number;
  try {
    port = await listen(server, config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE")
      fail(`port ${config.port} on ${config.host} is in use (another Maestro?). Stop it, or start with --port N.`);
    if (e.code === "EACCES") fail(`not allowed to listen on ${config.host}:${config.port}. Pick a port above 1023 with --port N.`);
    if (e.code === "EADDRNOTAVAIL") fail(`${config.host} is not an address of this machine. Use --host 127.0.0.1 or 0.0.0.0.`);
    throw err;
  }
  stop.onStop(() => {
    server.close();
    server.closeAllConnections();
  });
  services.tunnel.setTarget(config.host, port);
  // Written as soon as /api/* answers (before Next is ready), so the CLI can work while Next builds.
  const infoFile = bridgeInfoFile(config.dataDir);
  writeBridgeInfo(config.dataDir, {
    pid: process.pid,
    host: config.host,
    port,
    url: localUrl(config.host, port),
    startedAt: new Date().toISOString(),
    instanceId,
  });
  stop.onStop(() => fs.rmSync(infoFile, { force: true }));
  // Requests that arrive while Next warms up simply wait for it.
  try {
    await nextReady;
  } catch (err) {
    if (stop.stopping) return; // the build was stopped on purpose; the stop exits
    fail((err as Error).message);
  }

  await announce(services, config, port);
  announceTunnel(services, { qr: config.qr });
  if (config.tunnel) {
    console.log("Starting the Cloudflare tunnel…");
    await services.tunnel.start().catch((err) => console.error(`maestro: tunnel: ${(err as Error).message}`));
  }
}

main().catch((err) => fail(errorText(err)));
