import fs from "node:fs";
import path from "node:path";
import webpush from "web-push";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** Who runs this server, sent in every VAPID JWT (`sub`): a mailto: or https: URL. */
  subject: string;
}

/**
 * Apple's push service rejects a `localhost` subject, and a tunnel URL changes between starts,
 * so the default is a stable mailto. MAESTRO_PUSH_SUBJECT overrides it.
 */
export const DEFAULT_VAPID_SUBJECT = "mailto:maestro@example.com";

export function vapidFile(dataDir: string) {
  return path.join(dataDir, "vapid.json");
}

function isValid(keys: Partial<VapidKeys> | null): keys is VapidKeys {
  return !!keys && typeof keys.publicKey === "string" && typeof keys.privateKey === "string" && typeof keys.subject === "string";
}

/**
 * The server's VAPID key pair, made once in the data dir (mode 0600) and kept: every browser
 * subscription is bound to this public key, so a new pair would silently orphan them all.
 */
export function loadOrCreateVapidKeys(dataDir: string, subjectOverride: string | null = null): VapidKeys {
  const file = vapidFile(dataDir);
  let keys: VapidKeys | null = null;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<VapidKeys>;
    if (!isValid(parsed)) throw new Error(`${file} is not a VAPID key file; move it away and restart to make a new one.`);
    keys = parsed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (!keys) {
    const pair = webpush.generateVAPIDKeys();
    const fresh: VapidKeys = { publicKey: pair.publicKey, privateKey: pair.privateKey, subject: DEFAULT_VAPID_SUBJECT };
    try {
      // `wx`: if another process won the race, use its keys instead of overwriting them.
      fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      keys = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      return loadOrCreateVapidKeys(dataDir, subjectOverride);
    }
  }
  return subjectOverride ? { ...keys, subject: subjectOverride } : keys;
}
