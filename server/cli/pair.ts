/**
 * `npm run pair`: prints a fresh one-time pairing URL (and QR code) for the bridge that uses
 * this data dir. Works whether or not the bridge is running (the token lives in the database).
 */
import { createAuthService } from "../auth/service";
import { ensureDataDir, readBridgeInfo } from "../data-dir";
import { openDatabase } from "../db";
import { ConfigError, parseConfig } from "../env";
import { pairingBanner } from "../pairing-banner";
import { lanUrls, localUrl, pairingUrl } from "../urls";

try {
  const config = parseConfig(process.argv.slice(2));
  ensureDataDir(config.dataDir);
  const db = openDatabase(config.dataDir);
  const { token } = await createAuthService(db).createPairingToken();
  await db.$disconnect();
  const running = readBridgeInfo(config.dataDir);
  const host = running?.host ?? config.host;
  const port = running?.port ?? config.port;
  const urls = [...lanUrls(host, port), localUrl(host, port)].map((u) => pairingUrl(u, token));
  if (!running) console.log(`(Maestro is not running with data dir ${config.dataDir}; start it with npm start.)`);
  console.log(await pairingBanner(urls, { qr: config.qr }));
} catch (err) {
  console.error(`maestro pair: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
