import os from "node:os";
import path from "node:path";

/** Everything the bridge needs to know before it starts, from flags and environment. */
export interface BridgeConfig {
  host: string;
  port: number;
  dataDir: string;
  dev: boolean;
  /** Print the pairing QR code in the terminal. */
  qr: boolean;
  /** Start the Cloudflare tunnel with the bridge. */
  tunnel: boolean;
  /** What the services read from the environment (passed into `createServices`). */
  services: ServicesEnv;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_PORT = 4280;
export const DEFAULT_HOST = "127.0.0.1";

export class ConfigError extends Error {
  override name = "ConfigError";
}

const USAGE = "usage: npm start -- [--host ADDR] [--port N] [--data-dir DIR] [--dev] [--no-qr] [--tunnel]";

/** Default data dir: $MAESTRO_HOME, else ~/.maestro. */
export function resolveDataDir(env: Env = process.env): string {
  return path.resolve(env.MAESTRO_HOME || path.join(os.homedir(), ".maestro"));
}

/**
 * Parses argv (without node and script) and env. Flags win over env. Throws ConfigError with
 * one line that says what is wrong and how to fix it.
 */
export function parseConfig(argv: string[], env: Env = process.env): BridgeConfig {
  const config: BridgeConfig = {
    host: env.MAESTRO_HOST || DEFAULT_HOST,
    port: env.MAESTRO_PORT ? parsePort(env.MAESTRO_PORT, "MAESTRO_PORT") : DEFAULT_PORT,
    dataDir: resolveDataDir(env),
    dev: false,
    qr: true,
    tunnel: env.MAESTRO_TUNNEL === "1",
    services: readServicesEnv(env),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg, "=") : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new ConfigError(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--host":
        config.host = value();
        break;
      case "--port":
        config.port = parsePort(value(), "--port");
        break;
      case "--data-dir":
        config.dataDir = path.resolve(value());
        break;
      case "--dev":
        config.dev = true;
        break;
      case "--no-qr":
        config.qr = false;
        break;
      case "--tunnel":
        config.tunnel = true;
        break;
      case "--help":
      case "-h":
        throw new ConfigError(USAGE);
      default:
        throw new ConfigError(`unknown option ${JSON.stringify(arg)}. ${USAGE}`);
    }
  }
  return config;
}

function parsePort(raw: string, name: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(raw)}.`);
  }
  return port;
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + 1)];
}

/**
 * What the services take from the environment, read here once: the rest of the bridge gets these
 * values passed in and reads no variable itself. (A spawned CLI still inherits the whole
 * environment: that is the user's, passed through, not configuration.)
 */
export interface ServicesEnv {
  /** $PATH: where provider CLIs, shells and cloudflared are looked up. */
  path: string;
  /** $SHELL: the default shell of command terminals (else the login shell). */
  shell: string | null;
  /** Codex's own session store ($CODEX_HOME, default ~/.codex). */
  codexHome: string;
  /** The simulator's session store ($MAESTRO_SIM_HOME, default ~/.maestro-sim). */
  simulatorHome: string;
  /** $MAESTRO_PUSH_SUBJECT: the VAPID subject (a mailto: or https: URL) instead of the default. */
  pushSubject: string | null;
  /** $MAESTRO_PROVIDER_NICE: how much lower provider CLIs run than the bridge (0–19, default 10). */
  providerNice: number;
  /** $MAESTRO_CLOUDFLARED: a cloudflared binary to use unless Settings name one. */
  cloudflared: string | null;
  /** $MAESTRO_ALLOWED_HOSTS: host names the bridge answers to besides IPs, localhost and *.local. */
  allowedHosts: string[];
  /** $MAESTRO_PAIR_ATTEMPTS_PER_MINUTE: pairing attempts allowed per client per minute. */
  pairAttemptsPerMinute: number | undefined;
}

export const DEFAULT_PROVIDER_NICE = 10;

/** MAESTRO_PROVIDER_NICE as a niceness, held to 0–19; not an integer: the default. */
export function parseProviderNice(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_PROVIDER_NICE;
  const n = Number(raw);
  return Number.isInteger(n) ? Math.min(19, Math.max(0, n)) : DEFAULT_PROVIDER_NICE;
}

export function readServicesEnv(env: Env = process.env): ServicesEnv {
  const pairs = Number(env.MAESTRO_PAIR_ATTEMPTS_PER_MINUTE);
  return {
    path: env.PATH ?? "",
    shell: env.SHELL?.trim() || null,
    codexHome: env.CODEX_HOME || path.join(os.homedir(), ".codex"),
    simulatorHome: env.MAESTRO_SIM_HOME || path.join(os.homedir(), ".maestro-sim"),
    pushSubject: env.MAESTRO_PUSH_SUBJECT || null,
    providerNice: parseProviderNice(env.MAESTRO_PROVIDER_NICE),
    cloudflared: env.MAESTRO_CLOUDFLARED || null,
    allowedHosts: (env.MAESTRO_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    pairAttemptsPerMinute: Number.isInteger(pairs) && pairs > 0 ? pairs : undefined,
  };
}
