/**
 * `npm run pair`: prints a fresh one-time pairing URL (and QR code) for the bridge that uses
 * this data dir. Works whether or not the bridge is running (the token lives in the database).
 *
 * `--cli [--name N]` (what `maestro pair --cli` runs when no bridge answers): mints a remote CLI
 * token instead and prints `{id, name, token}` as JSON. It takes the data-dir lock first, so it
 * never writes beside a starting bridge or a headless maestro (a running bridge is asked over
 * tRPC instead, `devices.createCliToken`).
 */
import { createAuthService } from "../auth/service";
import { ensureDataDir, readBridgeInfo } from "../data-dir";
import { acquireLock, lockHeldMessage, releaseLock } from "../data-lock";
import { openDatabase } from "../db";
import { ConfigError, parseConfig } from "../env";
import { pairingBanner } from "../pairing-banner";
import { lanUrls, localUrl, pairingUrl } from "../urls";

/** Takes `--cli` and `--name N` / `--name=N` out of argv (parseConfig knows only the bridge's flags). */
function ownFlags(argv: string[]) {
  const rest: string[] = [];
  let cli = false;
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--cli") cli = true;
    else if (arg === "--name") name = argv[++i];
    else if (arg.startsWith("--name=")) name = arg.slice("--name=".length);
    else rest.push(arg);
  }
  if (name !== undefined && !cli) throw new ConfigError("--name goes with --cli.");
  return { rest, cli, name };
}

async function mintCliToken(dataDir: string, name: string | undefined) {
  const lock = acquireLock(dataDir, "headless");
  if (!lock.ok) {
    throw new Error(
      lock.holder.kind === "bridge"
        ? `a Maestro bridge (pid ${lock.holder.pid}) is starting for ${dataDir}; run this again once it answers.`
        : lockHeldMessage(lock.holder, dataDir),
    );
  }
  try {
    const db = openDatabase(dataDir);
    try {
      return await createAuthService(db).createCliToken(name ?? "Remote CLI");
    } finally {
      await db.$disconnect();
    }
  } finally {
    releaseLock(dataDir, lock.lock);
  }
}

try {
  const { rest, cli, name } = ownFlags(process.argv.slice(2));
  const config = parseConfig(rest);
  ensureDataDir(config.dataDir);
  if (cli) {
    process.stdout.write(`${JSON.stringify(await mintCliToken(config.dataDir, name))}\n`);
  } else {
    const db = openDatabase(config.dataDir);
    const { token } = await createAuthService(db).createPairingToken();
    await db.$disconnect();
    const running = readBridgeInfo(config.dataDir);
    const host = running?.host ?? config.host;
    const port = running?.port ?? config.port;
    const urls = [...lanUrls(host, port), localUrl(host, port)].map((u) => pairingUrl(u, token));
    if (!running) console.log(`(Maestro is not running with data dir ${config.dataDir}; start it with npm start.)`);
    console.log(await pairingBanner(urls, { qr: config.qr }));
  }
} catch (err) {
  console.error(`maestro pair: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
