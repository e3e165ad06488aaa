/**
 * bench/soak-bridge.ts — what bench/soak.ts and bench/reconnect.ts share: the real bridge as a
 * child process (`server/main.ts`, production Next build, temp data dir, simulator provider),
 * a paired session, tRPC calls over HTTP, and the bridge's own RSS and open fds from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { buildApp, needsBuild } from "../server/next-build";
import { bridgeArgv } from "../scripts/server-bundle.mjs";

export const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = ["--import", "tsx"];

export interface Bridge {
  base: string;
  child: ChildProcess;
  cookie: string;
  /** The bridge's own process.memoryUsage(), at most a second old (null before the first). */
  memory(): (NodeJS.MemoryUsage & { liveHeap: number | null; majorGcs: number }) | null;
  query<T>(p: string, input: unknown): Promise<T>;
  mutate<T>(p: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Builds the production app and the bridge's bundle first if either is missing or stale (outside the measured process). */
export function buildIfNeeded(): void {
  if (!needsBuild(ROOT)) return;
  console.log("building the app and the bridge (npm run build)…");
  buildApp(ROOT);
}

/** Starts the bridge as `maestro start` does (its bundle when fresh, else `server/main.ts` under tsx) on a free port with `env` on top of this process's, pairs a device. */
export async function startBridge(dataDir: string, env: Record<string, string>): Promise<Bridge> {
  const { SHELL: _shell, ...inherited } = process.env;
  // soak-meminfo.mjs writes the bridge's process.memoryUsage() to a file (what its RSS is made of).
  const memFile = path.join(dataDir, "memory.json");
  const child = spawn(process.execPath, ["--import", "./bench/soak-meminfo.mjs", ...bridgeArgv(), "--port", "0", "--no-qr"], {
    cwd: ROOT,
    env: {
      ...inherited,
      MAESTRO_HOME: dataDir,
      MAESTRO_SIM_HOME: path.join(dataDir, "simulator"),
      NEXT_TELEMETRY_DISABLED: "1",
      SOAK_MEMFILE: memFile,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start in 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Maestro is running at (http:\/\/\S+)/);
      if (m && /Pair a device|Pair another device/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]!.replace(/\/$/, ""));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code}:\n${output}`));
    });
  });
  // After start-up, keep only the bridge's errors (a quiet pipe must still be read, or it blocks).
  child.stdout.removeAllListeners("data");
  child.stdout.resume();
  const pair = spawnSync(process.execPath, [...TSX, "server/cli/pair.ts", "--no-qr"], {
    cwd: ROOT,
    env: { ...process.env, MAESTRO_HOME: dataDir },
    encoding: "utf8",
  });
  const token = pair.stdout.match(/#token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`pair printed no token:\n${pair.stdout}\n${pair.stderr}`);
  const res = await fetch(`${base}/api/auth/pair`, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json" },
    body: JSON.stringify({ token, deviceName: "soak" }),
  });
  const cookie = res.headers.get("set-cookie")?.match(/maestro_session=[^;]+/)?.[0];
  if (!res.ok || !cookie) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);

  const unwrap = async <T>(p: string, r: Response): Promise<T> => {
    if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { result: { data: { json: T } } }).result.data.json;
  };
  return {
    base,
    child,
    cookie,
    memory: () => {
      try {
        return JSON.parse(fs.readFileSync(memFile, "utf8")) as NodeJS.MemoryUsage & { liveHeap: number | null; majorGcs: number };
      } catch {
        return null;
      }
    },
    query: async (p, input) =>
      unwrap(p, await fetch(`${base}/api/trpc/${p}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie } })),
    mutate: async (p, input) =>
      unwrap(
        p,
        await fetch(`${base}/api/trpc/${p}`, {
          method: "POST",
          headers: { cookie, origin: base, "content-type": "application/json" },
          body: JSON.stringify({ json: input }),
        }),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
      }),
  };
}

/** The bridge's resident memory in MB (VmRSS), from /proc. */
export function rssMB(pid: number): number {
  const kb = Number(fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? NaN);
  return kb / 1024;
}

/** The bridge's open file descriptors. */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Every stored event id by tab, read from the bridge's database file (after the bridge stopped). */
export function storedIdsByTab(dataDir: string): Map<string, number[]> {
  const db = new Database(path.join(dataDir, "maestro.db"), { readonly: true });
  const rows = db.prepare(`SELECT e.id AS id, t.tabId AS tabId FROM Event e JOIN Turn t ON t.id = e.turnId ORDER BY e.id`).all() as {
    id: number;
    tabId: string;
  }[];
  db.close();
  const byTab = new Map<string, number[]>();
  for (const { id, tabId } of rows) {
    const list = byTab.get(tabId) ?? [];
    list.push(id);
    byTab.set(tabId, list);
  }
  return byTab;
}

/** p-th percentile of a histogram of whole milliseconds (index = ms). */
export function percentile(hist: ArrayLike<number>, p: number): number {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i]!;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= (total * p) / 100) return i;
  }
  return NaN;
}
