import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { initTRPC, TRPCError } from "@trpc/server";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESTRUCTIVE_MIN_PREFIX, resolveByRef } from "./commands/agents.mjs";
import { maestro } from "./testing/fake-bridge";

/**
 * How the CLI reports what a bridge refuses, against a real tRPC 11 server (superjson, as the
 * bridge) whose answer each test picks with its token: an owner-token refusal, a business
 * FORBIDDEN, a procedure an older bridge lacks, the bridge's own non-tRPC 403; and over TLS with a
 * self-signed certificate.
 */
const t = initTRPC.create({ transformer: superjson });
const router = t.router({
  agents: t.router({
    list: t.procedure.query(() => []),
    refuse: t.procedure.query(() => {
      throw new TRPCError({ code: "FORBIDDEN", message: "That path leaves the agent's folder." });
    }),
    unauthorized: t.procedure.query(() => {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "The bridge refused this CLI token (revoked, or from another data dir)." });
    }),
  }),
  groups: t.router({ list: t.procedure.query(() => []) }),
});

/** Which procedure agents.list really is, by token (the CLI's `list agents` calls agents.list). */
const AS: Record<string, string> = {
  forbidden: "agents.refuse",
  revoked: "agents.unauthorized",
  old: "agents.missingInThisVersion",
  good: "agents.list",
};

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  const { pathname } = new URL(req.url ?? "/", "http://x");
  if (pathname === "/api/health") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ ok: true, instanceId: "errors-test", version: "0.0.1-old" }));
  }
  const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  if (token === "host") {
    res.writeHead(403, { "content-type": "application/json" });
    return res.end(JSON.stringify({ error: { message: 'Unknown host "box". Add it to MAESTRO_ALLOWED_HOSTS to allow it.' } }));
  }
  let procedure = pathname.slice("/api/trpc/".length);
  if (procedure === "agents.list") procedure = AS[token] ?? procedure;
  void nodeHTTPRequestHandler({ router, req, res, path: procedure, createContext: () => ({}) });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-errors-"));
let plain: http.Server;
let secure: https.Server;
let plainUrl: string;
let secureUrl: string;
const certFile = path.join(tmp, "cert.pem");

beforeAll(async () => {
  const keyFile = path.join(tmp, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "pipe" },
  );
  plain = http.createServer(handler);
  secure = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, handler);
  await Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([plain, secure].map((s) => new Promise((r) => s.close(r))));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const listAs = (token: string, extra: string[] = []) => maestro(["--url", plainUrl, "--token", token, "list", "agents", ...extra]);

describe("refusals and their exit codes", () => {
  it("a tRPC FORBIDDEN is a business refusal: exit 1, the bridge's message as is", async () => {
    const r = await listAs("forbidden");
    expect(r).toMatchObject({ code: 1, stderr: "maestro: That path leaves the agent's folder.\n" });
    const json = await listAs("forbidden", ["--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ success: false, error: "That path leaves the agent's folder.", code: "FORBIDDEN" });
  });

  it("a refused token (401 / UNAUTHORIZED) is exit 5: the bridge's message once, plus one hint", async () => {
    const r = await listAs("revoked");
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      "maestro: The bridge refused this CLI token (revoked, or from another data dir). Check --token (mint one on the bridge's machine with `maestro pair --cli`).\n",
    );
  });

  it("the bridge's own (non-tRPC) 403 is exit 5", async () => {
    const r = await listAs("host");
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^maestro: Unknown host "box"\. Add it to MAESTRO_ALLOWED_HOSTS to allow it\. Check --token/);
  });

  it("a procedure the bridge lacks means an older bridge: exit 1, naming its version", async () => {
    const r = await listAs("old", ["--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      success: false,
      error: "the bridge (version 0.0.1-old) is older than this CLI: it has no agents.list. Restart it from this version.",
      code: "BRIDGE_OUTDATED",
    });
  });

  it("--json after `--` is an argument, not the option: the error is one line on stderr", async () => {
    const r = await maestro(["--url", plainUrl, "--token", "good", "show", "agent", "--", "--json"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('maestro: no agent "--json". `maestro list agents` shows them.\n');
  });
});

describe("remote bridges", () => {
  it("https with a self-signed certificate: exit 3 keeping the TLS code, with the NODE_EXTRA_CA_CERTS hint that works", async () => {
    const r = await maestro(["--url", secureUrl, "--token", "good", "status"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `maestro: cannot reach the bridge at ${secureUrl}: its certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT). A self-signed certificate? Set NODE_EXTRA_CA_CERTS=<its CA .pem>.\n`,
    );
    const trusted = await maestro(["--url", secureUrl, "--token", "good", "status", "--json"], { NODE_EXTRA_CA_CERTS: certFile });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ mode: "remote", url: secureUrl, agents: 0 });
  });

  it("plain http:// to another host warns once on stderr (not for loopback, not with -q)", async () => {
    const far = await maestro(["--url", "http://maestro-test.invalid:4280", "--token", "x", "status"]);
    expect(far.code).toBe(3);
    const lines = far.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "maestro: warning: http://maestro-test.invalid:4280 is plain http://, so the token crosses the network unencrypted; use https:// (e.g. the tunnel).",
    );
    expect(lines[1]).toMatch(/^maestro: no Maestro bridge answers at http:\/\/maestro-test\.invalid:4280 \((ENOTFOUND|EAI_AGAIN)\)\.$/);
    expect((await maestro(["-q", "--url", "http://maestro-test.invalid:4280", "--token", "x", "status"])).stderr).not.toContain("warning");
    expect((await maestro(["--url", plainUrl, "--token", "good", "status"])).stderr).toBe("");
  });
});

describe("resolveByRef", () => {
  const items = [
    { id: "cm4kcafe0001", name: "Café" },
    { id: "cm4kapi00002", name: "api" },
  ];
  it("compares names NFC and case-insensitively (a terminal may type é decomposed)", () => {
    expect(resolveByRef(items, "cafe\u0301", "agent").id).toBe("cm4kcafe0001");
    expect(resolveByRef(items, "CAFÉ", "agent").id).toBe("cm4kcafe0001");
    expect(() => resolveByRef(items, "cafe", "agent")).toThrow(/^no agent "cafe"/);
  });

  it("minPrefix refuses a short id prefix (destructive commands) but still takes ids and names", () => {
    expect(DESTRUCTIVE_MIN_PREFIX).toBe(4);
    const only = [items[1]!];
    expect(resolveByRef(only, "c", "agent").id).toBe("cm4kapi00002");
    expect(() => resolveByRef(only, "c", "agent", { minPrefix: DESTRUCTIVE_MIN_PREFIX })).toThrow(
      '"c" is too short an id prefix here: give at least 4 characters, the full id, or the name.',
    );
    expect(resolveByRef(only, "cm4k", "agent", { minPrefix: DESTRUCTIVE_MIN_PREFIX }).id).toBe("cm4kapi00002");
    expect(resolveByRef(only, "api", "agent", { minPrefix: DESTRUCTIVE_MIN_PREFIX }).id).toBe("cm4kapi00002");
    // A short ref that matches nothing is still "not found", not "too short".
    expect(() => resolveByRef(only, "x", "agent", { minPrefix: DESTRUCTIVE_MIN_PREFIX })).toThrow(/^no agent "x"/);
  });
});
