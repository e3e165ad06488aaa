import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, sharedSession, startTestBridge, tempDir } from "../testing/harness";
import { createRoutes } from "./routes";

/**
 * Share links over the real bridge: opening a link, the refusals (garbled, unknown, expired,
 * revoked) and their rate limit, revocation cutting an open stream, and History.
 */
let clock = new Date("2026-11-23T12:00:00Z");
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const simHome = tempDir("maestro-simhome-");
const project = tempDir("maestro-share-project-");
let agentId = "";
let tabId = "";

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ now: () => clock });
  bridge = await startTestBridge(services, {
    routes: createRoutes({ badShareAttemptsPerMinute: 3 }),
    next: { handle: async (_req, res) => void res.end("page") },
  });
  const agent = await services.agents.create({ name: "Shared agent", folder: project });
  agentId = agent.id;
  tabId = (await services.tabs.list(agent.id))[0]!.id;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
  fs.rmSync(simHome, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
});

/** Each test opens links from its own client address (the bridge believes loopback proxies). */
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

async function open(token: string, ip: string) {
  const res = await fetch(`${bridge.base}/api/share/open`, {
    method: "POST",
    headers: { origin: bridge.base, "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, cookie: res.headers.get("set-cookie") };
}

const query = (path: string, input: unknown, cookie: string) =>
  fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie } });

describe("opening a link", () => {
  test("sets an httpOnly SameSite=Strict cookie that lasts as long as the link, and says where to go", async () => {
    const { token } = await sharedSession(services, { agentId, permission: "view", label: "Sam", expiresInSeconds: 7200 });
    const r = await open(token, freshIp());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, home: `/shared/agents/${agentId}`, scope: "agent", permission: "view", label: "Sam" });
    expect(r.cookie).toMatch(new RegExp(`^maestro_share=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`));
    expect(Number(/Max-Age=(\d+)/.exec(r.cookie!)![1])).toBeGreaterThan(7000);
    const me = await query("system.me", undefined, `maestro_share=${token}`);
    expect(me.status).toBe(200);
  });

  test("is written to History and counted on the link", async () => {
    const { token, link } = await sharedSession(services, { agentId, permission: "control", label: "Robin" });
    await open(token, freshIp());
    const entries = await services.db.historyEntry.findMany({ where: { kind: "share-use", agentId } });
    expect(entries.map((e) => e.summary)).toContain("Robin opened Shared agent (can prompt and stop)");
    const listed = (await services.share.list()).find((l) => l.id === link.id)!;
    expect(listed.useCount).toBe(1);
    expect(listed.lastUsedAt).toEqual(clock);
  });
});

describe("what a teammate sees", () => {
  test("the project's folder name, not where it lives on the owner's disk", async () => {
    const { cookie } = await sharedSession(services, { agentId, permission: "view" });
    const read = async (path: string, input: unknown) => (await (await query(path, input, cookie)).json()).result.data.json;
    expect((await read("agents.byId", { id: agentId })).folder).toBe(path.basename(project));
    expect((await read("agents.list", undefined)).map((a: { folder: string }) => a.folder)).toEqual([path.basename(project)]);
    // The owner still sees the full path.
    expect((await services.agents.byId(agentId)).folder).toBe(fs.realpathSync(project));
  });
});

describe("refusals", () => {
  test.each([
    ["garbled", async () => "not-a-token", "This share link is not valid: it looks cut off or garbled. Copy the whole link and try again."],
    ["unknown", async () => "A".repeat(43), "This share link is not valid. Ask the owner for a new one."],
    [
      "revoked",
      async () => {
        const s = await sharedSession(services, { agentId, permission: "view" });
        await services.share.revoke(s.link.id);
        return s.token;
      },
      "This link was revoked by the owner.",
    ],
    [
      "expired (fake clock past its expiry)",
      async () => {
        const s = await sharedSession(services, { agentId, permission: "view", expiresInSeconds: 3600 });
        clock = new Date(clock.getTime() + 3600_000);
        return s.token;
      },
      "This share link expired. Ask the owner for a new one.",
    ],
    [
      "expired (a past expiry written in the database)",
      async () => {
        const s = await sharedSession(services, { agentId, permission: "view" });
        await services.db.shareLink.update({ where: { id: s.link.id }, data: { expiresAt: new Date(clock.getTime() - 1) } });
        return s.token;
      },
      "This share link expired. Ask the owner for a new one.",
    ],
  ])("%s: opening answers 401 with a plain message, and the cookie works nowhere", async (_name, makeToken, message) => {
    const token = await makeToken();
    const r = await open(token, freshIp());
    expect(r.status).toBe(401);
    expect(r.body.error.message).toBe(message);
    expect(r.cookie).toBeNull();
    const res = await query("agents.byId", { id: agentId }, `maestro_share=${token}`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.json.message).toBe(message);
    const stream = await fetch(`${bridge.base}/api/trpc/turns.onEvent?input=${encodeURIComponent(JSON.stringify({ json: { tabId } }))}`, {
      headers: { cookie: `maestro_share=${token}`, accept: "text/event-stream" },
    });
    expect(stream.status).toBe(401);
    await stream.body?.cancel();
  });

  test("an out-of-scope call answers 403, not 401", async () => {
    const other = await services.agents.create({ name: "Other", folder: project });
    const { cookie } = await sharedSession(services, { agentId, permission: "view" });
    expect((await query("agents.byId", { id: other.id }, cookie)).status).toBe(403);
    expect((await query("agents.byId", { id: agentId }, cookie)).status).toBe(200);
  });

  test("repeated bad tokens from one address are rate limited (429 with the wait), others are not", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await open("A".repeat(43), ip)).status).toBe(401);
    const limited = await open("A".repeat(43), ip);
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/^Too many invalid share links from this address\. Try again in \d+ s\.$/);
    // Even a good token waits out the window from that address; another address is unaffected.
    const { token } = await sharedSession(services, { agentId, permission: "view" });
    expect((await open(token, ip)).status).toBe(429);
    expect((await open(token, freshIp())).status).toBe(200);
  });

  test("good links do not use up the limit", async () => {
    const ip = freshIp();
    const { token } = await sharedSession(services, { agentId, permission: "view" });
    for (let i = 0; i < 5; i++) expect((await open(token, ip)).status).toBe(200);
  });
});

describe("revoking", () => {
  test("cuts the link's open stream at once; its next request answers 401", async () => {
    const { link, cookie } = await sharedSession(services, { agentId, permission: "view" });
    const res = await fetch(`${bridge.base}/api/trpc/turns.onEvent?input=${encodeURIComponent(JSON.stringify({ json: { tabId } }))}`, {
      headers: { cookie, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    const ended = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return "closed";
      } catch {
        return "closed";
      }
    })();
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    await owner.share.revoke({ id: link.id });
    expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r("still open"), 3000))])).toBe("closed");
    const next = await query("tabs.list", { agentId }, cookie);
    expect(next.status).toBe(401);
    expect((await next.json()).error.json.message).toBe("This link was revoked by the owner.");
    // A revoked teammate's page load is told why.
    const page = await fetch(`${bridge.base}/shared/agents/${agentId}`, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
    expect([page.status, page.headers.get("location")]).toEqual([302, "/share?ended=revoked"]);
  });

  test("the list shows revoked links; revoking twice says so", async () => {
    const { link } = await sharedSession(services, { agentId, permission: "view", label: "Twice" });
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    await owner.share.revoke({ id: link.id });
    await expect(owner.share.revoke({ id: link.id })).rejects.toThrow("That link is already revoked.");
    expect((await owner.share.list()).find((l) => l.id === link.id)?.revokedAt).toEqual(clock);
  });
});

describe("control links", () => {
  test("prompt and stop within their agent, each written to History; images are refused", async () => {
    const { principal, link } = await sharedSession(services, { agentId, permission: "control", label: "Kim" });
    const caller = callerFor(services, principal);
    const { turnId } = await caller.turns.send({ tabId, prompt: "hello from a teammate" });
    expect(turnId).toBeTruthy();
    await caller.turns.stop({ tabId });
    await services.turns.settled(tabId);
    const summaries = (
      await services.db.historyEntry.findMany({ where: { kind: "share-use", agentId }, orderBy: { createdAt: "asc" } })
    ).map((e) => e.summary);
    expect(summaries).toEqual(
      expect.arrayContaining(["Kim sent a prompt through a share link", "Kim stopped a turn through a share link"]),
    );
    await expect(caller.turns.send({ tabId, prompt: "look", images: ["abc"] })).rejects.toThrow(
      "Images can't be sent through a share link.",
    );
    expect(link.permission).toBe("control");
  });

  test("creating a link validates its expiry and scope", async () => {
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    await expect(owner.share.create({ scope: "agent", agentId, permission: "view", label: "x", expiresInSeconds: 60 })).rejects.toThrow(
      "A link lasts at least 1 hour.",
    );
    await expect(
      owner.share.create({ scope: "agent", agentId: "nope", permission: "view", label: "x", expiresInSeconds: 3600 }),
    ).rejects.toThrow("That agent no longer exists.");
    await expect(owner.share.create({ scope: "dashboard", permission: "control", label: "x", expiresInSeconds: 3600 })).rejects.toThrow(
      "The dashboard can only be shared view-only.",
    );
    const made = await owner.share.create({ scope: "agent", agentId, permission: "view", label: "ok", expiresInSeconds: 30 * 86400 });
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await services.db.shareLink.findUniqueOrThrow({ where: { id: made.link.id } });
    expect(row.tokenHash).not.toContain(made.token);
    expect(row.expiresAt.getTime() - clock.getTime()).toBe(30 * 86400 * 1000);
  });
});

describe("links that may approve tool use", () => {
  test("are stored, listed, carried by the session (system.me tells the page) and named in History when opened", async () => {
    const { token, link } = await sharedSession(services, { agentId, permission: "control", canApprove: true, label: "Ana" });
    expect(link.canApprove).toBe(true);
    expect((await services.share.list()).find((l) => l.id === link.id)?.canApprove).toBe(true);
    await open(token, freshIp());
    const summaries = (await services.db.historyEntry.findMany({ where: { kind: "share-use", agentId } })).map((e) => e.summary);
    expect(summaries).toContain("Ana opened Shared agent (can prompt, stop and approve tool use)");
    const me = await query("system.me", undefined, `maestro_share=${token}`);
    const body = (await me.json()) as { result: { data: { json: { principal: unknown } } } };
    expect(body.result.data.json.principal).toMatchObject({ permission: "control", canApprove: true });
    const plain = await sharedSession(services, { agentId, permission: "control" });
    expect(plain.principal.canApprove).toBe(false);
  });

  test("only a control link to one agent may have the right", async () => {
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    const base = { agentId, label: "x", expiresInSeconds: 3600, canApprove: true } as const;
    const refusal = "Only a control link to one agent may approve tool use.";
    await expect(owner.share.create({ ...base, scope: "agent", permission: "view" })).rejects.toThrow(refusal);
    await expect(owner.share.create({ ...base, scope: "dashboard", agentId: null, permission: "view" })).rejects.toThrow(refusal);
    // Refused by the input's own check, before the run is even looked up.
    await expect(owner.share.create({ ...base, scope: "run", runId: "any-run", permission: "control" })).rejects.toThrow(refusal);
    expect(await services.db.shareLink.count({ where: { label: "x", canApprove: true } })).toBe(0);
  });
});

describe("run links", () => {
  const PLAN = "# Plan\n\n- [ ] one\n- [ ] two\n- [ ] three\n- [ ] four\n";
  const post = (path: string, input: unknown, cookie: string) =>
    fetch(`${bridge.base}/api/trpc/${path}`, {
      method: "POST",
      headers: { cookie, origin: bridge.base, "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
  async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test("a view link reads its run and its live tab, 403 elsewhere and on every change; a control link pauses, resumes and stops it, each in History", async () => {
    const runProject = tempDir("maestro-share-run-");
    fs.mkdirSync(`${runProject}/.maestro/playbooks`, { recursive: true });
    fs.writeFileSync(`${runProject}/.maestro/playbooks/plan.md`, PLAN);
    const agent = await services.agents.create({ name: "Run agent", folder: runProject });
    await services.db.agent.update({
      where: { id: agent.id },
      data: { settingsJson: JSON.stringify({ env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "100" } }) },
    });
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    const earlier = await services.db.autorunRun.create({
      data: { agentId: agent.id, name: "earlier", configJson: JSON.stringify({ documents: [{ filename: "plan.md" }] }), status: "done" },
    });
    const run = await owner.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] }, name: "Nightly" });
    try {
      // Creating: the run names its agent; a run that does not exist is a clear error.
      await expect(
        owner.share.create({ scope: "run", runId: "no-such-run", permission: "view", label: "x", expiresInSeconds: 3600 }),
      ).rejects.toThrow("That Auto Run no longer exists.");
      await expect(
        owner.share.create({ scope: "run", runId: run.id, agentId, permission: "view", label: "x", expiresInSeconds: 3600 }),
      ).rejects.toThrow("That Auto Run belongs to another agent.");
      const made = await owner.share.create({ scope: "run", runId: run.id, permission: "view", label: "Lee", expiresInSeconds: 3600 });
      expect(made.link).toMatchObject({ scope: "run", runId: run.id, agentId: agent.id, agentName: "Run agent" });

      // Opening lands on the run's screen and is written to History, on the run.
      const opened = await open(made.token, freshIp());
      expect(opened.body).toMatchObject({ ok: true, home: `/shared/runs/${run.id}`, scope: "run", permission: "view" });
      const view = `maestro_share=${made.token}`;
      const openedEntry = await services.db.historyEntry.findFirst({ where: { kind: "share-use", runId: run.id } });
      expect(openedEntry?.summary).toBe("Lee opened the Auto Run “Nightly” of Run agent (view only)");

      // Reads of its run and its run's tab; nothing else.
      const detail = await query("autorun.byId", { id: run.id }, view);
      expect(detail.status).toBe(200);
      expect((await detail.json()).result.data.json.run.id).toBe(run.id);
      const history = await query("autorun.history", { runId: run.id }, view);
      expect(history.status).toBe(200);
      // Teammates' visits (with their addresses) are not shown to teammates.
      expect((await history.json()).result.data.json.map((e: { kind: string }) => e.kind)).not.toContain("share-use");
      expect((await query("turns.list", { tabId: run.tabId }, view)).status).toBe(200);
      for (const [path, input] of [
        ["autorun.byId", { id: earlier.id }],
        ["autorun.history", { runId: earlier.id }],
        ["agents.byId", { id: agent.id }],
        ["tabs.list", { agentId: agent.id }],
        ["turns.list", { tabId: (await services.tabs.list(agent.id)).find((t) => t.id !== run.tabId)!.id }],
        ["autorun.list", { agentId: agent.id }],
      ] as const) {
        expect([path, (await query(path, input, view)).status]).toEqual([path, 403]);
      }
      for (const path of ["autorun.pause", "autorun.stop", "autorun.resume"]) {
        const res = await post(path, { id: run.id }, view);
        expect([path, res.status]).toEqual([path, 403]);
        expect((await res.json()).error.json.message).toBe("This share link is view only.");
      }

      // A control link of the same run: Pause (after the task in progress), Resume, Stop.
      const control = await sharedSession(services, { scope: "run", runId: run.id, permission: "control", label: "Kit" });
      expect((await post("autorun.pause", { id: run.id }, control.cookie)).status).toBe(200);
      await waitFor("the run to pause", async () => (await services.autorun.byId(run.id)).status === "paused");
      // The run says who paused it: the teammate's link, not "you".
      expect((await services.autorun.byId(run.id)).pauseReason).toBe("Paused by Kit (share link).");
      expect((await post("autorun.resume", { id: run.id }, control.cookie)).status).toBe(200);
      expect((await services.autorun.byId(run.id)).status).toBe("running");
      // Skip and Abort stay the owner's; so does prompting the run's tab.
      expect((await post("autorun.abort", { id: run.id }, control.cookie)).status).toBe(403);
      expect((await post("autorun.skipDocument", { id: run.id }, control.cookie)).status).toBe(403);
      expect((await post("turns.send", { tabId: run.tabId, prompt: "hi" }, control.cookie)).status).toBe(403);
      // Another run of the agent is out of reach even for control.
      expect((await post("autorun.stop", { id: earlier.id }, control.cookie)).status).toBe(403);
      expect((await post("autorun.stop", { id: run.id }, control.cookie)).status).toBe(200);
      await waitFor(
        "the run to end",
        async () => !["running", "stopping", "paused"].includes((await services.autorun.byId(run.id)).status),
      );
      // (Stop lets the task in progress finish; a run whose last task that was ends "done" instead.)
      const ended = await services.autorun.byId(run.id);
      if (ended.status === "aborted") expect(ended.endReason).toBe("Stopped by Kit (share link).");

      const actions = (
        await services.db.historyEntry.findMany({
          where: { kind: "share-use", runId: run.id },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        })
      ).map((e) => e.summary);
      expect(actions).toEqual([
        "Lee opened the Auto Run “Nightly” of Run agent (view only)",
        "Kit paused the Auto Run through a share link",
        "Kit resumed the Auto Run through a share link",
        "Kit stopped the Auto Run through a share link",
      ]);
    } finally {
      await services.autorun.abort(run.id).catch(() => undefined);
      await services.autorun.settled(run.id);
      fs.rmSync(runProject, { recursive: true, force: true });
    }
  });

  test("an agent's control link pauses that agent's run (History names the run), not another agent's", async () => {
    const runProject = tempDir("maestro-share-run-");
    fs.mkdirSync(`${runProject}/.maestro/playbooks`, { recursive: true });
    fs.writeFileSync(`${runProject}/.maestro/playbooks/plan.md`, PLAN);
    const agent = await services.agents.create({ name: "Agent with a run", folder: runProject });
    const other = await services.agents.create({ name: "Someone else", folder: runProject });
    const otherRun = await services.db.autorunRun.create({
      data: {
        agentId: other.id,
        name: "theirs",
        configJson: JSON.stringify({ documents: [{ filename: "plan.md" }] }),
        status: "paused",
        pauseKind: "user",
      },
    });
    await services.db.agent.update({
      where: { id: agent.id },
      data: { settingsJson: JSON.stringify({ env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "100" } }) },
    });
    const run = await services.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "plan.md" }] }, name: "Agent's run" });
    try {
      const { cookie } = await sharedSession(services, { agentId: agent.id, permission: "control", label: "Ana" });
      expect((await query("autorun.byId", { id: run.id }, cookie)).status).toBe(200);
      expect((await query("autorun.byId", { id: otherRun.id }, cookie)).status).toBe(403);
      expect((await post("autorun.resume", { id: otherRun.id }, cookie)).status).toBe(403);
      expect((await post("autorun.stop", { id: run.id }, cookie)).status).toBe(200);
      const entry = await services.db.historyEntry.findFirst({ where: { kind: "share-use", runId: run.id } });
      expect(entry).toMatchObject({ summary: "Ana stopped the Auto Run through a share link", agentId: agent.id });
    } finally {
      await services.autorun.abort(run.id).catch(() => undefined);
      await services.autorun.settled(run.id);
      fs.rmSync(runProject, { recursive: true, force: true });
    }
  });
});
