import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import { backoffMs, normalizeHostname, parseTunnelLine, publicHostname } from "../../../lib/tunnel/log";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { SettingsService } from "../settings";
import { findCloudflared } from "./binary";
import { lanInfo } from "./lan";
import { forgetPid, reapStray, rememberPid } from "./stray";
import type { TunnelConfigView, TunnelMode, TunnelStatus } from "./types";

export interface TunnelDeps {
  bus: Bus;
  settings: SettingsService;
  /** The environment cloudflared runs in and is found on (PATH): the bridge's own, passed through. */
  env?: NodeJS.ProcessEnv;
  /** A cloudflared binary to use unless Settings name one (MAESTRO_CLOUDFLARED). */
  cloudflared?: string | null;
  /** Failed starts in a row before giving up. */
  maxFailures?: number;
  /** First restart delay; doubles per failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long cloudflared may take to print its URL (quick) or register a connection (named). */
  readyTimeoutMs?: number;
  /** A run this long resets the failure count: only failures in a row count. */
  stableMs?: number;
  /** Grace between SIGTERM and SIGKILL when stopping. */
  killGraceMs?: number;
  /** Where the running cloudflared's pid is kept, to stop one left behind by a killed bridge. */
  pidFile?: string;
  log?: (line: string) => void;
}

const KEY = { mode: "tunnel.mode", hostname: "tunnel.hostname", token: "tunnel.token", binary: "tunnel.binary" } as const;

/**
 * Runs the user's cloudflared and keeps it running: a quick tunnel (`cloudflared tunnel --url
 * http://127.0.0.1:PORT`, public URL read from its log) or a named tunnel (`cloudflared tunnel
 * run`, token in TUNNEL_TOKEN so it never shows in `ps`). A child that dies is restarted after
 * 1 s, 2 s, 4 s … up to 30 s; after `maxFailures` failures in a row it gives up with the last
 * error. Every change is published as `tunnel.status`.
 */
export function createTunnelService(deps: TunnelDeps) {
  const env = deps.env ?? process.env;
  const maxFailures = deps.maxFailures ?? 6;
  const readyTimeoutMs = deps.readyTimeoutMs ?? 30_000;
  const stableMs = deps.stableMs ?? 10_000;
  const killGraceMs = deps.killGraceMs ?? 3000;
  const log = deps.log ?? (() => {});
  const stray = reapStray(deps.pidFile);
  if (stray) log(`tunnel: stopped cloudflared ${stray} left running by an earlier bridge`);

  let target = { host: "127.0.0.1", port: 0 };
  let status: TunnelStatus = {
    state: "idle",
    mode: "quick",
    url: null,
    error: null,
    failures: 0,
    maxFailures,
    retryAt: null,
    pid: null,
    binary: null,
    connected: false,
    revision: { boot: randomUUID(), seq: 0 },
  };
  /** The user wants the tunnel up (between start and stop/give-up). */
  let wanted = false;
  let child: ChildProcess | null = null;
  let childExited: Promise<void> = Promise.resolve();
  let retryTimer: NodeJS.Timeout | null = null;
  let readyTimer: NodeJS.Timeout | null = null;
  /** Bumped on every launch and stop, so callbacks of an old child change nothing. */
  let generation = 0;

  function set(patch: Partial<Omit<TunnelStatus, "revision">>) {
    status = { ...status, ...patch, revision: { boot: status.revision.boot, seq: status.revision.seq + 1 } };
    deps.bus.publish("tunnel.status", status);
  }

  async function readConfig(): Promise<{ mode: TunnelMode; hostname: string | null; token: string | null; binary: string | null }> {
    const s = await deps.settings.getMany("tunnel.");
    return {
      mode: s[KEY.mode] === "named" ? "named" : "quick",
      hostname: s[KEY.hostname] ?? null,
      token: s[KEY.token] ?? null,
      binary: s[KEY.binary] ?? deps.cloudflared ?? null,
    };
  }

  function targetUrl() {
    const wildcard = target.host === "0.0.0.0" || target.host === "::" || target.host === "";
    const host = wildcard ? "127.0.0.1" : target.host.includes(":") ? `[${target.host}]` : target.host;
    return `http://${host}:${target.port}`;
  }

  function clearTimers() {
    if (retryTimer) clearTimeout(retryTimer);
    if (readyTimer) clearTimeout(readyTimer);
    retryTimer = readyTimer = null;
  }

  async function launch() {
    const gen = ++generation;
    const config = await readConfig();
    if (gen !== generation || !wanted) return;
    const binary = findCloudflared(config.binary, env);
    if (!binary) {
      wanted = false;
      set({
        state: "missing",
        mode: config.mode,
        binary: null,
        url: null,
        pid: null,
        connected: false,
        retryAt: null,
        error: config.binary ? `No executable cloudflared at ${config.binary}.` : "cloudflared is not installed (not found on PATH).",
      });
      return;
    }
    const args = config.mode === "named" ? ["tunnel", "--no-autoupdate", "run"] : ["tunnel", "--no-autoupdate", "--url", targetUrl()];
    const childEnv: NodeJS.ProcessEnv = { ...env };
    delete childEnv.TUNNEL_TOKEN;
    if (config.mode === "named") childEnv.TUNNEL_TOKEN = config.token ?? "";

    const proc = spawn(binary, args, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    rememberPid(deps.pidFile, proc.pid);
    let readyAt: number | null = null;
    let lastError: string | null = null;
    /** The last line that was not routine, for exits that log no error (`env: node: not found`). */
    let lastOther: string | null = null;
    let done = false;
    let resolveExit!: () => void;
    childExited = new Promise((r) => (resolveExit = r));
    set({
      state: status.failures > 0 ? "restarting" : "starting",
      mode: config.mode,
      binary,
      pid: proc.pid ?? null,
      url: null,
      connected: false,
      retryAt: null,
    });

    const ready = (url: string, connected = status.connected) => {
      readyAt = Date.now();
      if (readyTimer) clearTimeout(readyTimer);
      readyTimer = null;
      set({ state: "running", url, connected, error: null, retryAt: null });
      log(`tunnel: ${url}`);
    };

    const onLine = (line: string) => {
      if (gen !== generation) return;
      const fact = parseTunnelLine(line);
      if (fact.kind === "quick-url" && config.mode === "quick" && status.url !== fact.url) ready(fact.url);
      else if (fact.kind === "connected") {
        if (config.mode === "named" && status.state !== "running") {
          ready(config.hostname ? `https://${config.hostname}` : "", true);
        } else if (!status.connected) set({ connected: true });
      } else if (fact.kind === "error") lastError = fact.message;
      else if (line.trim() && !/^\S+\s+(INF|DBG)\s/.test(line)) lastOther = line.trim();
    };
    for (const stream of [proc.stdout, proc.stderr]) readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);

    readyTimer = setTimeout(() => {
      if (gen !== generation || readyAt) return;
      lastError =
        config.mode === "quick"
          ? `cloudflared printed no tunnel URL within ${Math.round(readyTimeoutMs / 1000)} s.`
          : `cloudflared registered no connection within ${Math.round(readyTimeoutMs / 1000)} s.`;
      proc.kill("SIGKILL");
    }, readyTimeoutMs);

    const ended = (why: string, missing = false) => {
      if (done) return;
      done = true;
      resolveExit();
      forgetPid(deps.pidFile, proc.pid);
      if (child === proc) child = null;
      if (gen !== generation) return;
      if (readyTimer) clearTimeout(readyTimer);
      readyTimer = null;
      if (!wanted) return;
      if (missing) {
        wanted = false;
        set({ state: "missing", binary: null, pid: null, url: null, connected: false, error: `cloudflared could not be run: ${why}` });
        return;
      }
      const stable = readyAt !== null && Date.now() - readyAt >= stableMs;
      const failures = (stable ? 0 : status.failures) + 1;
      const detail = lastError ?? lastOther;
      const error = detail ? `${why}: ${detail}` : why;
      log(`tunnel: ${error}`);
      if (failures >= maxFailures) {
        wanted = false;
        set({
          state: "failed",
          failures,
          error: `Gave up after ${failures} failed starts in a row. Last error: ${error}`,
          pid: null,
          url: null,
          connected: false,
          retryAt: null,
        });
        return;
      }
      const delay = backoffMs(failures, deps.baseDelayMs ?? 1000, deps.maxDelayMs ?? 30_000);
      set({ state: "restarting", failures, error, pid: null, url: null, connected: false, retryAt: Date.now() + delay });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (wanted && gen === generation) void launch().catch(giveUp);
      }, delay);
    };
    proc.on("error", (err: NodeJS.ErrnoException) => ended(err.message, err.code === "ENOENT" || err.code === "EACCES"));
    proc.on("exit", (code, signal) => ended(signal ? `cloudflared was killed (${signal})` : `cloudflared exited with code ${code}`));
  }

  /** A restart that could not even be attempted (settings unreadable): stop with the reason. */
  function giveUp(err: unknown) {
    wanted = false;
    set({
      state: "failed",
      error: `Could not restart cloudflared: ${(err as Error)?.message ?? String(err)}`,
      pid: null,
      url: null,
      connected: false,
      retryAt: null,
    });
  }

  async function stopChild() {
    const proc = child;
    if (!proc) return;
    const exited = childExited;
    proc.kill("SIGTERM");
    const force = setTimeout(() => proc.kill("SIGKILL"), killGraceMs);
    await exited;
    clearTimeout(force);
  }

  return {
    /** Where cloudflared should send traffic: the bridge's own address (set once it listens). */
    setTarget(host: string, port: number) {
      target = { host, port };
    },
    targetUrl,
    status(): TunnelStatus {
      return status;
    },
    /** Looks for cloudflared again while the tunnel is down, so the UI can say it is missing (or found). */
    async check(): Promise<TunnelStatus> {
      if (wanted || child) return status;
      const config = await readConfig();
      const binary = findCloudflared(config.binary, env);
      if (!binary) {
        set({
          state: "missing",
          mode: config.mode,
          binary: null,
          error: config.binary ? `No executable cloudflared at ${config.binary}.` : "cloudflared is not installed (not found on PATH).",
        });
      } else if (status.state === "missing" || status.binary !== binary || status.mode !== config.mode) {
        set({
          state: status.state === "missing" ? "idle" : status.state,
          mode: config.mode,
          binary,
          error: status.state === "missing" ? null : status.error,
        });
      }
      return status;
    },
    /** The public host name to accept in the Host check (the tunnel's, while it is up). */
    publicHostname(): string | null {
      return status.state === "running" ? publicHostname(status.url) : null;
    },
    lan() {
      return lanInfo(target.host, target.port);
    },
    async config(): Promise<TunnelConfigView> {
      const c = await readConfig();
      return { mode: c.mode, hostname: c.hostname, hasToken: !!c.token, binaryPath: (await deps.settings.get(KEY.binary)) ?? null };
    },
    /** Saves the tunnel settings; a running tunnel keeps its old settings until restarted. */
    async configure(input: { mode?: TunnelMode; hostname?: string | null; token?: string | null; binaryPath?: string | null }) {
      if (input.hostname !== undefined) {
        const hostname = input.hostname ? normalizeHostname(input.hostname) : null;
        if (input.hostname && !hostname)
          throw new AppError("BAD_INPUT", "That is not a host name (like maestro.example.com).", { field: "hostname" });
        await deps.settings.set(KEY.hostname, hostname);
      }
      if (input.token !== undefined) await deps.settings.set(KEY.token, input.token?.trim() || null);
      if (input.binaryPath !== undefined) await deps.settings.set(KEY.binary, input.binaryPath?.trim() || null);
      if (input.mode !== undefined) await deps.settings.set(KEY.mode, input.mode);
      if (!wanted && status.state !== "running") set({ mode: (await readConfig()).mode });
      return this.config();
    },
    /** Starts (or restarts) the tunnel; resolves once cloudflared is launched, not when it is up. */
    async start() {
      if (!target.port) throw new AppError("CONFLICT", "The bridge is not listening yet.");
      const config = await readConfig();
      if (config.mode === "named" && (!config.token || !config.hostname)) {
        throw new AppError("BAD_INPUT", "A named tunnel needs its token and its public host name.", {
          hint:
            "Create the tunnel in Cloudflare's dashboard (Zero Trust → Networks → Tunnels), route the host name to " +
            targetUrl() +
            ", and paste the token here.",
        });
      }
      wanted = false;
      generation++;
      clearTimers();
      await stopChild();
      wanted = true;
      set({ failures: 0, error: null, retryAt: null });
      await launch();
      return status;
    },
    /** Stops the tunnel and its child; nothing restarts it. */
    async stop() {
      wanted = false;
      generation++;
      clearTimers();
      await stopChild();
      set({
        state: status.state === "missing" ? "missing" : "idle",
        url: null,
        pid: null,
        connected: false,
        retryAt: null,
        failures: 0,
        error: status.state === "missing" ? status.error : null,
      });
      return status;
    },
    async shutdown() {
      wanted = false;
      generation++;
      clearTimers();
      await stopChild();
    },
  };
}

export type TunnelService = ReturnType<typeof createTunnelService>;
