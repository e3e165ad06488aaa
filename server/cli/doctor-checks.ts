import fs from "node:fs";
import { cliTokenFile, readCliTokenFile } from "../auth/cli-token";
import { bridgeInfoFile, type BridgeInfo } from "../data-dir";
import { lockFile, readLock } from "../data-lock";
import { readServicesEnv } from "../env";
import { detectProviders, type DetectedProvider } from "../services/providers/detect";
import { VERSION } from "../version";

/** One line of `maestro doctor`: ok, or what is wrong and how to fix it. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

export interface DoctorReport {
  version: string;
  dataDir: string;
  bridge: { running: boolean; url: string | null; pid: number | null; version: string | null };
  checks: DoctorCheck[];
  providers: DetectedProvider[];
}

const HEALTH_TIMEOUT_MS = 3_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body: unknown = await res.json().catch(() => null);
    return { status: res.status, body };
  } catch {
    return null;
  }
}

type Health = { ok?: boolean; instanceId?: string; version?: string };
const asHealth = (v: unknown): Health | null => (v && typeof v === "object" ? v : null);

function lockCheck(dataDir: string): DoctorCheck {
  try {
    const lock = readLock(dataDir);
    if (!lock) return { name: "lock", ok: true, detail: "free (no Maestro drives this data dir)" };
    const who = lock.kind === "bridge" ? "the bridge" : "a headless maestro";
    return pidAlive(lock.pid)
      ? { name: "lock", ok: true, detail: `held by ${who} (pid ${lock.pid}) since ${lock.startedAt}` }
      : { name: "lock", ok: true, detail: `stale (pid ${lock.pid} is gone); the next start takes it over` };
  } catch (err) {
    return { name: "lock", ok: false, detail: (err as Error).message, hint: `Run as the user who owns ${lockFile(dataDir)}.` };
  }
}

function readBridgeFile(dataDir: string): BridgeInfo | null {
  try {
    return JSON.parse(fs.readFileSync(bridgeInfoFile(dataDir), "utf8")) as BridgeInfo;
  } catch {
    return null;
  }
}

/**
 * Everything `maestro doctor` checks for a data dir: the lock, bridge.json, the bridge's health
 * and version against this checkout's, the CLI token file (and whether the bridge takes it), and
 * which agent CLIs are installed. Reads only; creates nothing.
 */
export async function runDoctor(dataDir: string): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const bridge: DoctorReport["bridge"] = { running: false, url: null, pid: null, version: null };

  if (!fs.existsSync(dataDir))
    checks.push({ name: "data dir", ok: true, detail: `${dataDir} does not exist yet (the first start makes it)` });
  else {
    try {
      fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
      checks.push({ name: "data dir", ok: true, detail: dataDir });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      checks.push({
        name: "data dir",
        ok: false,
        detail: `${dataDir} is not writable (${code})`,
        hint: "Fix its permissions, or pick another with --data-dir.",
      });
    }
  }
  checks.push(lockCheck(dataDir));

  const info = readBridgeFile(dataDir);
  if (!info) checks.push({ name: "bridge", ok: true, detail: "not running (start it with `maestro start`)" });
  else if (!pidAlive(info.pid))
    checks.push({ name: "bridge", ok: true, detail: `not running (bridge.json names pid ${info.pid}, which is gone)` });
  else {
    const health = await getJson(`${info.url}/api/health`);
    const body = asHealth(health?.body);
    if (!body?.ok) {
      checks.push({
        name: "bridge",
        ok: false,
        detail: `pid ${info.pid} runs, but ${info.url}/api/health does not answer`,
        hint: "It may be starting; else stop it and start it again.",
      });
    } else if (body.instanceId !== info.instanceId) {
      checks.push({
        name: "bridge",
        ok: false,
        detail: `${info.url} answers as another instance than bridge.json names`,
        hint: "Another process took its port: restart the bridge.",
      });
    } else {
      Object.assign(bridge, { running: true, url: info.url, pid: info.pid, version: body.version ?? null });
      checks.push({ name: "bridge", ok: true, detail: `running at ${info.url} (pid ${info.pid}, version ${body.version ?? "?"})` });
      checks.push(
        body.version === VERSION
          ? { name: "version", ok: true, detail: `the bridge and this CLI are both ${VERSION}` }
          : {
              name: "version",
              ok: false,
              detail: `the bridge runs ${body.version ?? "an unknown version"}, this CLI is ${VERSION}`,
              hint: "Restart the bridge from this checkout.",
            },
      );
    }
  }

  const tokenPath = cliTokenFile(dataDir);
  const token = readCliTokenFile(dataDir);
  if (!fs.existsSync(tokenPath)) {
    checks.push({
      name: "CLI token",
      ok: !bridge.running,
      detail: `no ${tokenPath} yet (the bridge writes it when it starts)`,
      ...(bridge.running ? { hint: "Restart the bridge to write it." } : {}),
    });
  } else if (!token) {
    checks.push({
      name: "CLI token",
      ok: false,
      detail: `${tokenPath} is unreadable or not a token file`,
      hint: "Restart the bridge to rewrite it (as its user).",
    });
  } else {
    const mode = fs.statSync(tokenPath).mode & 0o777;
    if (mode & 0o077)
      checks.push({
        name: "CLI token",
        ok: false,
        detail: `${tokenPath} is readable by others (mode ${mode.toString(8)})`,
        hint: `chmod 600 ${tokenPath}`,
      });
    else if (bridge.running) {
      const me = await getJson(`${bridge.url}/api/trpc/system.me`, { authorization: `Bearer ${token.token}` });
      checks.push(
        me?.status === 200
          ? { name: "CLI token", ok: true, detail: "the bridge accepts it" }
          : {
              name: "CLI token",
              ok: false,
              detail: `the bridge refuses it (HTTP ${me?.status ?? "no answer"})`,
              hint: "Restart the bridge (it rewrites the token file).",
            },
      );
    } else checks.push({ name: "CLI token", ok: true, detail: `${tokenPath} (mode 600)` });
  }

  const providers = await detectProviders({ envPath: readServicesEnv().path });
  return { version: VERSION, dataDir, bridge, checks, providers };
}
