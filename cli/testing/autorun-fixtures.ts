import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeBridgeInfo } from "../../server/data-dir";
import { acquireLock, releaseLock } from "../../server/data-lock";
import { openDatabase } from "../../server/db";
import { readServicesEnv } from "../../server/env";
import { createRoutes } from "../../server/http/routes";
import { silentLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { startTestBridge } from "../../server/testing/harness";
import { BIN, ROOT } from "./fake-bridge";

/** Fixtures for the CLI's Auto Run tests: agents in a data dir, a real bridge on it, a live child. */

export const THREE = "# Plan\n\n- [ ] write alpha.txt\n- [ ] second task\n- [ ] third task\n";

export function tmp(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A simulator agent on a fresh project whose Auto Run folder holds `docs`, made straight through
 * the services on the data dir (as `create-agent` would; that command is not this file's).
 */
export async function makeAgent(dataDir: string, name: string, docs: Record<string, string>, env: Record<string, string> = {}) {
  const project = tmp(`maestro-cli-${name}-`);
  const folder = path.join(project, ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(docs)) fs.writeFileSync(path.join(folder, file), text);
  const db = openDatabase(dataDir);
  const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger });
  try {
    const agent = await services.agents.create({ name, folder: project, provider: "simulator" });
    if (Object.keys(env).length) await services.agents.updateSettings(agent.id, { ...(await services.agents.settings(agent.id)), env });
    return { agent, project: fs.realpathSync(project), folder, doc: (file: string) => fs.readFileSync(path.join(folder, file), "utf8") };
  } finally {
    await services.shutdown();
    await db.$disconnect();
  }
}

/** The services on a data dir no process drives now (for a test to set something up between commands). */
export async function withServices<T>(dataDir: string, fn: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const db = openDatabase(dataDir);
  const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger });
  try {
    return await fn(services);
  } finally {
    await services.shutdown();
    await db.$disconnect();
  }
}

/**
 * The real bridge for a data dir in this process, as server/main.ts starts it minus Next: the
 * lock, the database, the services, the CLI token, the HTTP server with the real routes, and
 * bridge.json with an instance id /api/health answers.
 */
export async function startRealBridge(dataDir: string, opts: { lock?: boolean } = {}) {
  // Without `lock`: a test holds the data dir's lock in the bridge's name itself.
  const lock = opts.lock === false ? null : acquireLock(dataDir, "bridge");
  if (lock && !lock.ok) throw new Error("the data dir is locked");
  const db = openDatabase(dataDir);
  const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger });
  await services.autorun.recover();
  await services.auth.ensureCliToken();
  const instanceId = randomUUID();
  const http = await startTestBridge(services, { routes: createRoutes({ instanceId }) });
  writeBridgeInfo(dataDir, {
    pid: process.pid,
    host: "127.0.0.1",
    port: http.port,
    url: http.base,
    startedAt: new Date().toISOString(),
    instanceId,
  });
  return {
    services,
    db,
    url: http.base,
    async close() {
      await http.close();
      await services.shutdown();
      await db.$disconnect();
      fs.rmSync(path.join(dataDir, "bridge.json"), { force: true });
      if (lock?.ok) releaseLock(dataDir, lock.lock);
    },
  };
}

/** The real bin as a child whose stdout lines arrive as they are written. */
export function liveMaestro(args: string[], env: Record<string, string> = {}) {
  const { MAESTRO_HOME: _h, MAESTRO_URL: _u, MAESTRO_TOKEN: _t, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  let buffer = "";
  const waiters: { test: (l: string) => boolean; resolve: () => void }[] = [];
  child.stdout!.on("data", (c: Buffer) => {
    buffer += c.toString();
    let cut;
    while ((cut = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 1);
      lines.push(line);
      for (const w of [...waiters]) if (w.test(line)) w.resolve();
    }
  });
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    /** Resolves at the first line (already printed or to come) that passes `test`. */
    until(test: (line: string) => boolean, ms = 60_000) {
      if (lines.some(test)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such line in ${ms} ms:\n${lines.join("\n")}\n${stderr}`)), ms);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/**
 * Processes whose working directory is inside `folder` (Linux /proc): a provider child left
 * behind. With `command`, only those whose command line contains it (a short-lived `git` in the
 * folder is not the provider).
 */
export function processesIn(folder: string, command?: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (command && !fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(command)) continue;
      if (cwd === folder || cwd.startsWith(`${folder}/`)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Parses JSONL output: every non-empty line must be exactly one JSON object. */
export function parseLines(stdout: string): ({ type: string; timestamp: number } & Record<string, any>)[] {
  return stdout
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const v = JSON.parse(l);
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`not one object: ${l}`);
      return v;
    });
}
