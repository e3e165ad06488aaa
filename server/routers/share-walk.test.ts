import fs from "node:fs";
import type { Duplex } from "node:stream";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SharePrincipal } from "../auth/service";
import { checkShareCall } from "../auth/share-access";
import { createRoutes } from "../http/routes";
import { callerFor, createTestServices, sharedSession, startTestBridge, tempDir } from "../testing/harness";
import { PROCEDURES } from "./procedures";

/**
 * The auth walk again, with share sessions: every procedure of the app router, called as a
 * view-only and as a control share link of agent A. Owner-only procedures (everything without
 * `share` meta — including procedures added later on other branches) must answer FORBIDDEN;
 * the ones opened to share sessions must refuse agent B's ids; a view link may change nothing.
 * The same over real HTTP, for sockets and plain routes and pages too.
 */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const dirA = tempDir("maestro-share-a-");
const dirB = tempDir("maestro-share-b-");
const ids = {
  agentA: "",
  agentB: "",
  tabA: "",
  tabB: "",
  runA: "",
  runA2: "",
  runB: "",
  runTabA: "",
  runTabA2: "",
  runTabB: "",
  approvalA: "",
  approvalB: "",
};
const sessions: Record<"view" | "control", { principal: SharePrincipal; cookie: string }> = {} as never;
let wsCalls = 0;

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services, {
    wsRoutes: [
      { path: "/ws/terminal", handle: (_req, socket: Duplex) => (wsCalls++, socket.end("HTTP/1.1 101 Switching Protocols\r\n\r\n")) },
    ],
    next: { handle: async (_req, res) => void res.end("page") },
  });
  const a = await services.agents.create({ name: "Agent A", folder: dirA });
  const b = await services.agents.create({ name: "Agent B", folder: dirB });
  ids.agentA = a.id;
  ids.agentB = b.id;
  ids.tabA = (await services.tabs.list(a.id))[0]!.id;
  ids.tabB = (await services.tabs.list(b.id))[0]!.id;
  // Finished runs with their own tabs, as the runner leaves them (no provider needed to read them).
  for (const [key, agentId] of [
    ["runA", a.id],
    ["runA2", a.id],
    ["runB", b.id],
  ] as const) {
    const tab = await services.db.tab.create({ data: { agentId, name: `Auto Run · ${key}`, sortOrder: 10_000 } });
    const run = await services.db.autorunRun.create({
      data: { agentId, name: key, configJson: JSON.stringify({ documents: [{ filename: "plan.md" }] }), tabId: tab.id, status: "done" },
    });
    ids[key] = run.id;
    ids[key === "runA" ? "runTabA" : key === "runA2" ? "runTabA2" : "runTabB"] = tab.id;
  }
  // A request of each agent, as a turn that asked leaves it (answering it is the service's test).
  // In tabs of their own, so the conversations read elsewhere in this walk stay empty.
  for (const [key, agentId] of [
    ["approvalA", a.id],
    ["approvalB", b.id],
  ] as const) {
    const { id: tabId } = await services.db.tab.create({ data: { agentId, name: "Asked", sortOrder: 5_000 } });
    const turn = await services.db.turn.create({ data: { tabId, agentId, prompt: "touch x", status: "done" } });
    const approval = await services.db.approval.create({
      data: {
        turnId: turn.id,
        tabId,
        agentId,
        provider: "claude",
        requestId: `req-${key}`,
        toolName: "Bash",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    ids[key] = approval.id;
  }
  for (const permission of ["view", "control"] as const) {
    const s = await sharedSession(services, { agentId: a.id, permission });
    sessions[permission] = { principal: s.principal, cookie: s.cookie };
  }
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
  fs.rmSync(dirA, { recursive: true, force: true });
  fs.rmSync(dirB, { recursive: true, force: true });
});

/** An input naming only agent B's things, in every field a procedure might read ids from. */
const OTHER_FIELDS = { name: "x", prompt: "hi", query: "", starred: true, bookmarked: true, beforeId: 1, decision: "allow" };
function inputOfB(meta: (typeof PROCEDURES)[number]["meta"]) {
  const id = meta?.shareIdIs === "tab" ? ids.tabB : meta?.shareIdIs === "run" ? ids.runB : ids.agentB;
  return { ...OTHER_FIELDS, id, agentId: ids.agentB, tabId: ids.tabB, runId: ids.runB, approvalId: ids.approvalB, folder: dirB };
}
function inputOfA(meta: (typeof PROCEDURES)[number]["meta"]) {
  const id = meta?.shareIdIs === "tab" ? ids.tabA : meta?.shareIdIs === "run" ? ids.runA : ids.agentA;
  return { ...OTHER_FIELDS, id, agentId: ids.agentA, tabId: ids.tabA, runId: ids.runA, approvalId: ids.approvalA, folder: dirA };
}
/** An input naming one run of agent A (and that run's tab) and nothing else of the agent. */
function inputOfRun(meta: (typeof PROCEDURES)[number]["meta"], run: "runA" | "runA2" | "runB") {
  const tab = run === "runA" ? ids.runTabA : run === "runA2" ? ids.runTabA2 : ids.runTabB;
  const id = meta?.shareIdIs === "tab" ? tab : meta?.shareIdIs === "agent" ? (run === "runB" ? ids.agentB : ids.agentA) : ids[run];
  return { ...OTHER_FIELDS, id, runId: ids[run], tabId: tab };
}

type Call = (input: unknown) => Promise<unknown>;
function procedure(principal: SharePrincipal, path: string): Call {
  const caller = callerFor(services, principal) as unknown as Record<string, Record<string, Call>>;
  const [ns, name] = path.split(".") as [string, string];
  return caller[ns]![name]!;
}
const forbidden = (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN";

/** What a share session of agent A may do with A's own ids (everything else: FORBIDDEN). */
function allowedWithOwnIds(p: (typeof PROCEDURES)[number], permission: "view" | "control"): boolean {
  const access = p.meta?.share;
  if (!access) return false;
  if (p.type === "mutation" && permission === "view") return false;
  if (access === "control") return permission === "control";
  // Neither link was given "May approve tool use" (see the approving link below).
  if (access === "approve") return false;
  // Group chats belong to group chat links only (share-groupchat-walk.test.ts).
  if (access === "groupchat") return false;
  return true; // "read", and "run" with agent A's run
}

test("the walk sees the whole router, and which procedures share sessions reach", () => {
  expect(PROCEDURES.length).toBeGreaterThanOrEqual(20);
  const open = PROCEDURES.filter((p) => p.meta?.share)
    .map((p) => `${p.path}:${p.meta!.share}`)
    .sort();
  // The deliberate list: adding to it is a security decision, so it is spelled out here.
  expect(open).toEqual(
    [
      "agents.byId:read",
      "agents.list:read",
      "agents.onChange:read",
      "approvals.answer:approve",
      "approvals.onChanged:read",
      "approvals.pending:read",
      "autorun.byId:run",
      "autorun.history:run",
      "autorun.onChange:run",
      "autorun.pause:run",
      "autorun.resume:run",
      "autorun.stop:run",
      "composer.commands:control",
      "composer.mentions:control",
      "groupchat.get:groupchat",
      "groupchat.list:groupchat",
      "groupchat.onEvent:groupchat",
      "groupchat.retry:groupchat",
      "groupchat.send:groupchat",
      "groupchat.stop:groupchat",
      "system.me:self",
      "tabs.list:read",
      "turns.earlier:read",
      "turns.events:read",
      "turns.list:read",
      "turns.onEvent:read",
      "turns.overview:read",
      "turns.send:control",
      "turns.stop:control",
    ].sort(),
  );
  expect(PROCEDURES.filter((p) => p.path.startsWith("share.") || p.path.startsWith("devices.")).every((p) => !p.meta?.share)).toBe(true);
});

describe.each(["view", "control"] as const)("a %s share link of agent A", (permission) => {
  const scoped = PROCEDURES.filter((p) => p.meta?.share !== "self");
  const refusedOwnIds = scoped.filter((p) => !allowedWithOwnIds(p, permission));
  const readable = PROCEDURES.filter((p) => allowedWithOwnIds(p, permission) && p.type === "query");

  test.each(scoped)("$path ($type) refuses agent B's ids", async (p) => {
    await expect(procedure(sessions[permission].principal, p.path)(inputOfB(p.meta))).rejects.toSatisfy(forbidden);
  });

  test.each(refusedOwnIds)("$path ($type) is FORBIDDEN even with agent A's ids", async (p) => {
    await expect(procedure(sessions[permission].principal, p.path)(inputOfA(p.meta))).rejects.toSatisfy(forbidden);
  });

  test.each(readable)("$path reads agent A's data", async (p) => {
    await expect(procedure(sessions[permission].principal, p.path)(inputOfA(p.meta))).resolves.toBeDefined();
  });

  test.each(scoped)("$path ($type) over HTTP: 403 with agent B's ids", async (p) => {
    const body = JSON.stringify({ json: inputOfB(p.meta) });
    const headers = {
      cookie: sessions[permission].cookie,
      origin: bridge.base,
      "content-type": "application/json",
      accept: "text/event-stream",
    };
    const res =
      p.type === "mutation"
        ? await fetch(`${bridge.base}/api/trpc/${p.path}`, { method: "POST", headers, body })
        : await fetch(`${bridge.base}/api/trpc/${p.path}?input=${encodeURIComponent(body)}`, { headers });
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });

  // tRPC percent-decodes the path; the bridge must see the same procedure (scope check, stream tracking).
  test.each(scoped.filter((p) => p.type === "subscription"))("$path spelled percent-encoded: 403 with agent B's ids", async (p) => {
    const body = JSON.stringify({ json: inputOfB(p.meta) });
    const res = await fetch(`${bridge.base}/api/trpc/${p.path.replace(".", "%2E")}?input=${encodeURIComponent(body)}`, {
      headers: { cookie: sessions[permission].cookie, accept: "text/event-stream" },
    });
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });

  test("the walk covers both kinds", () => {
    expect(refusedOwnIds.length).toBeGreaterThan(10);
    expect(readable.length).toBeGreaterThanOrEqual(permission === "view" ? 6 : 8);
  });
});

/**
 * A run link reaches its run (and read-only its run's tab, where the task turns stream) and
 * nothing else: not its agent's other runs, tabs or lists, not another agent, and no prompting.
 * The list is deliberate, like the one above.
 */
const RUN_LINK_REACHES = {
  view: [
    "autorun.byId",
    "autorun.history",
    "autorun.onChange",
    "turns.earlier",
    "turns.events",
    "turns.list",
    "turns.onEvent",
    "turns.overview",
  ],
  control: [
    "autorun.byId",
    "autorun.history",
    "autorun.onChange",
    "autorun.pause",
    "autorun.resume",
    "autorun.stop",
    "turns.earlier",
    "turns.events",
    "turns.list",
    "turns.onEvent",
    "turns.overview",
  ],
};

describe.each(["view", "control"] as const)("a %s share link of one run of agent A", (permission) => {
  let principal: SharePrincipal;
  let cookie: string;
  beforeAll(async () => {
    ({ principal, cookie } = await sharedSession(services, { scope: "run", runId: ids.runA, permission }));
  });
  const reaches = PROCEDURES.filter((p) => RUN_LINK_REACHES[permission].includes(p.path));
  const refused = PROCEDURES.filter((p) => p.meta?.share !== "self" && !RUN_LINK_REACHES[permission].includes(p.path));

  test("the link stores its run's agent", () => {
    expect(principal).toMatchObject({ scope: "run", runId: ids.runA, agentId: ids.agentA });
  });

  test("exactly the pinned procedures are reachable", () => {
    expect(reaches.map((p) => p.path).sort()).toEqual(RUN_LINK_REACHES[permission]);
  });

  test.each(reaches.filter((p) => p.type === "query"))("$path reads its own run", async (p) => {
    await expect(procedure(principal, p.path)(inputOfRun(p.meta, "runA"))).resolves.toBeDefined();
  });

  test.each(reaches)("$path ($type) refuses another run of the same agent", async (p) => {
    await expect(procedure(principal, p.path)(inputOfRun(p.meta, "runA2"))).rejects.toSatisfy(forbidden);
  });

  test.each(reaches)("$path ($type) refuses a run of another agent", async (p) => {
    await expect(procedure(principal, p.path)(inputOfRun(p.meta, "runB"))).rejects.toSatisfy(forbidden);
  });

  test.each(reaches)("$path ($type) refuses its run named together with its agent", async (p) => {
    await expect(procedure(principal, p.path)({ ...inputOfRun(p.meta, "runA"), agentId: ids.agentA })).rejects.toSatisfy(forbidden);
  });

  test.each(reaches.filter((p) => p.path.startsWith("turns.")))("$path refuses the agent's own conversation tab", async (p) => {
    await expect(procedure(principal, p.path)({ ...OTHER_FIELDS, tabId: ids.tabA })).rejects.toSatisfy(forbidden);
  });

  test.each(refused)("$path ($type) is FORBIDDEN even with its run's ids and its agent's", async (p) => {
    await expect(procedure(principal, p.path)({ ...inputOfRun(p.meta, "runA"), agentId: ids.agentA })).rejects.toSatisfy(forbidden);
  });

  test("prompting the run's own tab is refused", async () => {
    await expect(procedure(principal, "turns.send")({ tabId: ids.runTabA, prompt: "hi" })).rejects.toSatisfy(forbidden);
    await expect(procedure(principal, "turns.stop")({ tabId: ids.runTabA })).rejects.toSatisfy(forbidden);
  });

  test.each([
    ["its run's changes", "autorun.onChange", () => ({ runId: ids.runA }), 200],
    ["its run's stream", "turns.onEvent", () => ({ tabId: ids.runTabA }), 200],
    ["every change (no run named)", "autorun.onChange", () => ({}), 403],
    ["its agent's changes", "autorun.onChange", () => ({ agentId: ids.agentA }), 403],
    ["another run's changes", "autorun.onChange", () => ({ runId: ids.runA2 }), 403],
    ["its agent's conversation", "turns.onEvent", () => ({ tabId: ids.tabA }), 403],
    ["another run's stream", "turns.onEvent", () => ({ tabId: ids.runTabA2 }), 403],
    ["its agent's status feed", "agents.onChange", () => undefined, 403],
  ])("over HTTP, %s (%s) → %i", async (_name, path, input, status) => {
    const res = await fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input() }))}`, {
      headers: { cookie, accept: "text/event-stream" },
    });
    expect(res.status).toBe(status);
    await res.body?.cancel();
  });

  test("its page is its run's screen, and nothing else", async () => {
    const page = (p: string) => fetch(`${bridge.base}${p}`, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
    expect((await page(`/shared/runs/${ids.runA}`)).status).toBe(200);
    for (const other of [`/shared/runs/${ids.runA2}`, `/shared/agents/${ids.agentA}`, "/shared", `/autorun/runs/${ids.runA}`]) {
      const res = await page(other);
      expect([other, res.status, res.headers.get("location")]).toEqual([other, 302, `/shared/runs/${ids.runA}`]);
    }
  });
});

describe("run change events are narrowed to the scope", () => {
  test("an agent link hears its agent's runs, not another agent's", async () => {
    const stream = (await procedure(sessions.view.principal, "autorun.onChange")({})) as AsyncIterable<{
      agentId: string | null;
      runId: string;
    }>;
    const it = stream[Symbol.asyncIterator]();
    // The first message is the "listening" mark (about no agent): the bus is attached from here on.
    expect((await it.next()).value).toEqual({ agentId: null, runId: "" });
    services.bus.publish("autorun.changed", { agentId: ids.agentB, runId: ids.runB });
    services.bus.publish("autorun.changed", { agentId: ids.agentA, runId: ids.runA2 });
    expect((await it.next()).value).toEqual({ agentId: ids.agentA, runId: ids.runA2 });
    await it.return?.();
  });
});

describe("a view link's mutations over HTTP, with its own agent's ids", () => {
  test.each(PROCEDURES.filter((p) => p.type === "mutation"))("$path answers 403", async (p) => {
    const res = await fetch(`${bridge.base}/api/trpc/${p.path}`, {
      method: "POST",
      headers: { cookie: sessions.view.cookie, origin: bridge.base, "content-type": "application/json" },
      body: JSON.stringify({ json: inputOfA(p.meta) }),
    });
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });
});

describe("a control link of agent A that may approve tool use", () => {
  let approver: { principal: SharePrincipal; cookie: string };
  beforeAll(async () => {
    approver = await sharedSession(services, { agentId: ids.agentA, permission: "control", canApprove: true });
  });
  const post = (path: string, input: unknown, cookie: string) =>
    fetch(`${bridge.base}/api/trpc/${path}`, {
      method: "POST",
      headers: { cookie, origin: bridge.base, "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });

  test("reaches exactly what a control link reaches, plus answering agent A's approvals", async () => {
    const differs: string[] = [];
    for (const p of PROCEDURES) {
      const call = { meta: p.meta, type: p.type, rawInput: inputOfA(p.meta) };
      const plain = await checkShareCall(services, sessions.control.principal, call);
      const approving = await checkShareCall(services, approver.principal, call);
      if (plain.ok !== approving.ok) differs.push(`${p.path}:${approving.ok ? "allowed" : "refused"}`);
    }
    expect(differs).toEqual(["approvals.answer:allowed"]);
  });

  test("over HTTP: agent A's request gets past the scope (the service answers: that turn ended), agent B's is 403", async () => {
    const mine = await post("approvals.answer", { approvalId: ids.approvalA, decision: "allow" }, approver.cookie);
    expect(mine.status).toBe(409);
    expect(((await mine.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(/no longer running/);
    const theirs = await post("approvals.answer", { approvalId: ids.approvalB, decision: "allow" }, approver.cookie);
    expect(theirs.status).toBe(403);
    await theirs.body?.cancel();
  });

  test.each(["view", "control"] as const)("over HTTP: a %s link without the right is 403 on agent A's request", async (permission) => {
    const res = await post("approvals.answer", { approvalId: ids.approvalA, decision: "deny" }, sessions[permission].cookie);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
      permission === "view" ? /view only/ : /may not answer tool approvals/,
    );
  });

  test("a view link or a run link carrying the right anyway (not through the form) is still refused", async () => {
    const view = await sharedSession(services, { agentId: ids.agentA, permission: "view" });
    const run = await sharedSession(services, { scope: "run", runId: ids.runA, permission: "control" });
    await services.db.shareLink.updateMany({ where: { id: { in: [view.link.id, run.link.id] } }, data: { canApprove: true } });
    for (const token of [view.token, run.token]) {
      const auth = await services.share.authenticate(token);
      expect(auth).toMatchObject({ ok: true, principal: { canApprove: true } });
      const principal = (auth as { principal: SharePrincipal }).principal;
      await expect(procedure(principal, "approvals.answer")({ approvalId: ids.approvalA, decision: "allow" })).rejects.toSatisfy(forbidden);
    }
  });

  test("a request whose turn is gone reveals nothing (FORBIDDEN, not NOT_FOUND)", async () => {
    const { id: tabId } = await services.db.tab.create({ data: { agentId: ids.agentA, name: "Gone", sortOrder: 6_000 } });
    const turn = await services.db.turn.create({ data: { tabId, agentId: ids.agentA, prompt: "x", status: "done" } });
    const orphan = await services.db.approval.create({
      data: {
        turnId: turn.id,
        tabId,
        agentId: ids.agentA,
        provider: "claude",
        requestId: "req-orphan",
        toolName: "Bash",
        expiresAt: new Date(),
      },
    });
    await services.db.turn.delete({ where: { id: turn.id } });
    await expect(procedure(approver.principal, "approvals.answer")({ approvalId: orphan.id, decision: "allow" })).rejects.toSatisfy(
      forbidden,
    );
  });
});

describe("outputs are narrowed to the scope", () => {
  test("agents.list shows only agent A; a dashboard link sees every agent", async () => {
    const list = (await procedure(sessions.view.principal, "agents.list")(undefined)) as { id: string }[];
    expect(list.map((a) => a.id)).toEqual([ids.agentA]);
    const dash = await sharedSession(services, { scope: "dashboard", permission: "view" });
    const all = (await procedure(dash.principal, "agents.list")(undefined)) as { id: string }[];
    expect(all.map((a) => a.id).sort()).toEqual([ids.agentA, ids.agentB].sort());
  });

  test("system.me tells a teammate about their link, not about the machine", async () => {
    const me = (await procedure(sessions.view.principal, "system.me")(undefined)) as Record<string, unknown>;
    expect(me).toMatchObject({
      principal: { kind: "share", agentId: ids.agentA, permission: "view" },
      dataDir: null,
      homeDir: null,
      hostname: null,
    });
  });

  test("agents.onChange passes agent A's changes and drops agent B's", async () => {
    const stream = (await procedure(sessions.view.principal, "agents.onChange")(undefined)) as AsyncIterable<{ agentId: string | null }>;
    const it = stream[Symbol.asyncIterator]();
    // The "listening" mark is about no agent, so it passes; from then on the bus is attached.
    expect((await it.next()).value).toEqual({ agentId: null });
    await services.agents.rename(ids.agentB, "B renamed");
    await services.agents.rename(ids.agentA, "A renamed");
    expect((await it.next()).value).toEqual({ agentId: ids.agentA });
    await it.return?.();
  });
});

describe("the rest of the bridge over HTTP", () => {
  test("sockets are the owner's: a share session's upgrade to /ws/terminal answers 403", async () => {
    const net = await import("node:net");
    const status = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(bridge.port, "127.0.0.1", () => {
        sock.write(
          `GET /ws/terminal HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: ${bridge.base}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nCookie: ${sessions.control.cookie}\r\n\r\n`,
        );
      });
      sock.once("data", (d) => (resolve(d.toString().split("\r\n")[0]!), sock.destroy()));
      sock.once("error", reject);
    });
    expect(status).toBe("HTTP/1.1 403 Forbidden");
    expect(wsCalls).toBe(0);
  });

  test.each(createRoutes().filter((r) => r.access !== "public"))("$method $path answers 403 to a share session", async (route) => {
    const res = await fetch(`${bridge.base}${route.path}`, {
      method: route.method,
      headers: { origin: bridge.base, cookie: sessions.control.cookie },
    });
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });

  test.each([
    ["/", 302, "/shared/agents/A"],
    ["/settings", 302, "/shared/agents/A"],
    ["/agents/A", 302, "/shared/agents/A"],
    ["/shared/agents/B", 302, "/shared/agents/A"],
    ["/shared", 302, "/shared/agents/A"],
    ["/shared/agents/A", 200, null],
  ])("page %s → %i for an agent link", async (page, status, location) => {
    const sub = (s: string) => s.replace(/\/A$/, `/${ids.agentA}`).replace(/\/B$/, `/${ids.agentB}`);
    const res = await fetch(`${bridge.base}${sub(page)}`, {
      headers: { cookie: sessions.view.cookie, accept: "text/html" },
      redirect: "manual",
    });
    expect(res.status).toBe(status);
    if (location) expect(res.headers.get("location")).toBe(sub(location));
    await res.body?.cancel();
  });

  test("an out-of-scope page fetched without asking for HTML answers 403", async () => {
    const res = await fetch(`${bridge.base}/settings`, { headers: { cookie: sessions.view.cookie } });
    expect(res.status).toBe(403);
  });
});

describe("ids that name nothing, or are not ids, reveal nothing", () => {
  test.each([
    ["an unknown tab", "turns.list", { tabId: "no-such-tab" }],
    ["an unknown turn", "tabs.list", { agentId: "A", turnId: "no-such-turn" }],
    ["a tab id that is not a string", "turns.list", { tabId: { in: ["a"] } }],
    ["an agent id that is an array", "tabs.list", { agentId: ["A"] }],
    ["an unknown run", "tabs.list", { agentId: "A", runId: "no-such-run" }],
    ["an unknown run by id", "autorun.byId", { id: "no-such-run" }],
  ])("%s → FORBIDDEN, not NOT_FOUND or BAD_REQUEST", async (_name, path, input) => {
    const fixed = JSON.parse(JSON.stringify(input).replaceAll('"A"', JSON.stringify(ids.agentA)));
    await expect(procedure(sessions.control.principal, path)(fixed)).rejects.toSatisfy(forbidden);
  });

  test("with agent A's own tab the same read works", async () => {
    await expect(procedure(sessions.view.principal, "turns.list")({ tabId: ids.tabA })).resolves.toEqual([]);
  });
});
