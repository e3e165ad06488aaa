import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { initTRPC, TRPCError } from "@trpc/server";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import superjson from "superjson";

/**
 * A stand-in bridge for the CLI's tests: real tRPC 11 with superjson (the bridge's transformer),
 * mounted at /api/trpc/ like server/http/bridge.ts, a Bearer check, and /api/health. The wire is
 * tRPC's own, so the CLI's hand-written client meets the same bytes it meets in production.
 */
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "maestro.mjs");

export interface FakeAgent {
  id: string;
  name: string;
  folder: string;
  provider: string;
  groupId: string | null;
  bookmarked: boolean;
  status: string;
  statusDetail: string | null;
  lastActivity: Date | null;
  createdAt: Date;
}

export const AGENTS: FakeAgent[] = [
  agent("cm4kapi000001", "api", "claude", "g1"),
  agent("cm4kweb000002", "Web", "simulator", "g1"),
  agent("cm4xdoc000003", "docs", "gemini", null),
  agent("cm4xtwin00004", "twin", "codex", null),
  agent("cm4xtwin00005", "TWIN", "codex", null),
];
export const GROUPS = [
  { id: "g1", name: "Backend", sortOrder: 0, collapsed: false },
  { id: "g2", name: "Empty", sortOrder: 1, collapsed: true },
];

function agent(id: string, name: string, provider: string, groupId: string | null): FakeAgent {
  return {
    id,
    name,
    folder: `/projects/${name.toLowerCase()}`,
    provider,
    groupId,
    bookmarked: name === "api",
    status: "idle",
    statusDetail: null,
    lastActivity: new Date("2026-12-07T05:00:00.000Z"),
    createdAt: new Date("2026-12-01T10:00:00.000Z"),
  };
}

interface Ctx {
  authorized: boolean;
}
const t = initTRPC.context<Ctx>().create({ transformer: superjson });
const authed = t.procedure.use(({ ctx, next }) => {
  if (!ctx.authorized) throw new TRPCError({ code: "UNAUTHORIZED", message: "Pair this device first." });
  return next();
});
/** History as the bridge's `history.list`/`history.stats` answer it, for agent cm4kapi000001 only. */
export const HISTORY = [
  {
    id: "h2",
    kind: "autorun",
    agentId: "cm4kapi000001",
    success: false,
    summary: "Task 2 failed\nsecond line",
    durationMs: 800,
    inputTokens: 5,
    outputTokens: 7,
    costUsd: 0.25,
    createdAt: new Date("2026-12-07T04:00:00.000Z"),
  },
  {
    id: "h1",
    kind: "turn",
    agentId: "cm4kapi000001",
    success: true,
    summary: "Added the login page",
    durationMs: 1200,
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 1.5,
    createdAt: new Date("2026-12-07T03:00:00.000Z"),
  },
];
const forAgent = (input: unknown) => HISTORY.filter((h) => h.agentId === (input as { agentId?: string }).agentId);
const appRouter = t.router({
  agents: t.router({ list: authed.query(() => AGENTS) }),
  groups: t.router({ list: authed.query(() => GROUPS) }),
  history: t.router({
    list: authed
      .input((v) => v as { agentId?: string; limit?: number })
      .query(({ input }) => ({ items: forAgent(input).slice(0, input.limit ?? 30), nextCursor: null })),
    stats: authed
      .input((v) => v as { agentId?: string })
      .query(({ input }) => {
        const rows = forAgent(input);
        const sum = (f: (h: (typeof HISTORY)[number]) => number) => rows.reduce((a, h) => a + f(h), 0);
        const count = rows.length;
        const succeeded = rows.filter((h) => h.success).length;
        return {
          total: {
            count,
            succeeded,
            successRate: count ? succeeded / count : 1,
            inputTokens: sum((h) => h.inputTokens),
            outputTokens: sum((h) => h.outputTokens),
            costUsd: sum((h) => h.costUsd),
          },
          agents: [],
          days: [],
        };
      }),
  }),
});

export interface FakeBridge {
  url: string;
  token: string;
  instanceId: string;
  /** Procedure paths called, in order (to prove the CLI used the bridge). */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeBridge(token = "good-token"): Promise<FakeBridge> {
  const instanceId = `fake-${process.pid}-${Date.now()}`;
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://x");
    if (pathname === "/api/health") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: true, instanceId, version: "9.9.9-fake" }));
    }
    if (pathname.startsWith("/api/trpc/")) {
      const procedurePath = pathname.slice("/api/trpc/".length);
      calls.push(procedurePath);
      const authorized = req.headers.authorization === `Bearer ${token}`;
      void nodeHTTPRequestHandler({ router: appRouter, req, res, path: procedurePath, createContext: () => ({ authorized }) });
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "Not found." } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    instanceId,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A temp data dir; with a bridge, its bridge.json (this process's pid: alive) and cli-token. */
export function dataDirFor(bridge?: FakeBridge, opts: { token?: string | null; pid?: number } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-cli-"));
  if (bridge) {
    const port = Number(new URL(bridge.url).port);
    const info = {
      pid: opts.pid ?? process.pid,
      host: "127.0.0.1",
      port,
      url: bridge.url,
      startedAt: new Date().toISOString(),
      instanceId: bridge.instanceId,
    };
    fs.writeFileSync(path.join(dir, "bridge.json"), JSON.stringify(info));
    const token = opts.token === undefined ? bridge.token : opts.token;
    if (token !== null) fs.writeFileSync(path.join(dir, "cli-token"), JSON.stringify({ token, id: "cli-1" }), { mode: 0o600 });
  }
  return dir;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin as a child process (no TTY: no colours), with a clean MAESTRO_* env. */
export function maestro(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<CliResult> {
  const { MAESTRO_HOME: _h, MAESTRO_URL: _u, MAESTRO_TOKEN: _t, ...inherited } = process.env;
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
