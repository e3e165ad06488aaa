import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SharePrincipal } from "../auth/service";
import { checkShareCall } from "../auth/share-access";
import { AppError } from "../errors";
import { callerFor, createTestServices, startTestBridge, tempDir } from "../testing/harness";
import { PROCEDURES } from "./procedures";

/**
 * The share walk for group chat links: every procedure of the app router, called as a view and
 * as a control link of chat C1. It reaches its chat's procedures (view: list, get, onEvent;
 * control: send, stop, retry too) with C1 only, never chat C2, and no agent, tab, turn, run or
 * approval procedure even with the ids of C1's own agents. Over HTTP too, with its pages.
 */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const dir = tempDir("maestro-share-chat-");
const ids = { agentA: "", agentB: "", tabA: "", runA: "", chat: "", otherChat: "" };
const sessions: Record<"view" | "control", { principal: SharePrincipal; cookie: string; token: string }> = {} as never;

async function chatLink(groupChatId: string, permission: "view" | "control", label = `teammate (${permission})`) {
  const { token, link } = await services.share.create({
    scope: "groupchat",
    groupChatId,
    permission,
    label,
    expiresInSeconds: 3600,
  });
  const auth = await services.share.authenticate(token);
  if (!auth?.ok) throw new Error("a fresh group chat link did not authenticate");
  return { token, link, principal: auth.principal, cookie: `maestro_share=${token}` };
}

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services, { next: { handle: async (_req, res) => void res.end("page") } });
  const a = await services.agents.create({ name: "Agent A", folder: dir });
  const b = await services.agents.create({ name: "Agent B", folder: dir });
  ids.agentA = a.id;
  ids.agentB = b.id;
  ids.tabA = (await services.tabs.list(a.id))[0]!.id;
  const tab = await services.db.tab.create({ data: { agentId: a.id, name: "Auto Run", sortOrder: 10_000 } });
  ids.runA = (
    await services.db.autorunRun.create({
      data: { agentId: a.id, name: "run", configJson: JSON.stringify({ documents: [] }), tabId: tab.id, status: "done" },
    })
  ).id;
  // Chats as rows (the scope does not depend on the engine): C1 moderated by A with B taking part.
  const chat = await services.db.groupChat.create({ data: { name: "Team", moderatorAgentId: a.id } });
  await services.db.groupChatParticipant.create({ data: { chatId: chat.id, agentId: b.id } });
  ids.chat = chat.id;
  ids.otherChat = (await services.db.groupChat.create({ data: { name: "Other", moderatorAgentId: b.id } })).id;
  for (const permission of ["view", "control"] as const) sessions[permission] = await chatLink(ids.chat, permission);
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CHAT_LINK_REACHES = {
  view: ["groupchat.get", "groupchat.list", "groupchat.onEvent"],
  control: ["groupchat.get", "groupchat.list", "groupchat.onEvent", "groupchat.retry", "groupchat.send", "groupchat.stop"],
};

/** Every field a procedure might read ids from, naming C1's own agents and their things. */
const OTHER_FIELDS = { name: "x", prompt: "hi", text: "hi", query: "", starred: true, beforeId: 1, decision: "allow" };
const ownAgentsInput = () => ({ ...OTHER_FIELDS, id: ids.agentA, agentId: ids.agentA, tabId: ids.tabA, runId: ids.runA, folder: dir });
const chatInput = (chatId: string) => ({ ...OTHER_FIELDS, chatId });

type Call = (input: unknown) => Promise<unknown>;
function procedure(principal: SharePrincipal, path: string): Call {
  const caller = callerFor(services, principal) as unknown as Record<string, Record<string, Call>>;
  const [ns, name] = path.split(".") as [string, string];
  return caller[ns]![name]!;
}
const forbidden = (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN";

/** A call that got past the scope check: it resolved, or the service itself answered. */
async function pastTheScope(call: Promise<unknown>) {
  try {
    const out = await call;
    const it = out && typeof out === "object" && Symbol.asyncIterator in out ? (out as AsyncIterable<unknown>) : null;
    await it?.[Symbol.asyncIterator]().return?.();
    return "resolved";
  } catch (e) {
    if (forbidden(e)) return `FORBIDDEN: ${(e as Error).message}`;
    return "the service answered";
  }
}

describe("making a group chat link (owner)", () => {
  test("names its chat and no agent; the list shows the chat's name", async () => {
    expect(sessions.view.principal).toMatchObject({ scope: "groupchat", groupChatId: ids.chat, agentId: null, runId: null });
    const listed = (await services.share.list()).find((l) => l.groupChatId === ids.chat && l.permission === "control")!;
    expect(listed).toMatchObject({ scope: "groupchat", groupChatName: "Team", agentId: null, agentName: null, canApprove: false });
  });

  test("a chat that does not exist is refused, and nothing is stored", async () => {
    const before = await services.db.shareLink.count();
    const made = services.share.create({
      scope: "groupchat",
      groupChatId: "no-such-chat",
      permission: "view",
      label: "x",
      expiresInSeconds: 3600,
    });
    await expect(made).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === "NOT_FOUND" && /group chat/.test(e.message));
    await expect(services.share.create({ scope: "groupchat", permission: "view", label: "x", expiresInSeconds: 3600 })).rejects.toThrow(
      /Pick the group chat/,
    );
    expect(await services.db.shareLink.count()).toBe(before);
  });

  test("through the owner's router as well", async () => {
    const owner = callerFor(services, { kind: "owner", sessionId: "s" });
    const { link } = await owner.share.create({
      scope: "groupchat",
      groupChatId: ids.otherChat,
      permission: "control",
      label: "Sam",
      expiresInSeconds: 3600,
    });
    expect(link).toMatchObject({ scope: "groupchat", groupChatId: ids.otherChat, groupChatName: "Other" });
  });
});

describe.each(["view", "control"] as const)("a %s link of one group chat", (permission) => {
  const reaches = PROCEDURES.filter((p) => CHAT_LINK_REACHES[permission].includes(p.path));
  const rest = PROCEDURES.filter((p) => p.meta?.share !== "self" && !CHAT_LINK_REACHES[permission].includes(p.path));

  test("exactly the pinned procedures get past the scope check", async () => {
    const ok: string[] = [];
    for (const p of PROCEDURES.filter((x) => x.meta?.share !== "self")) {
      const rawInput = p.path.startsWith("groupchat.") ? chatInput(ids.chat) : ownAgentsInput();
      if ((await checkShareCall(services, sessions[permission].principal, { meta: p.meta, type: p.type, rawInput })).ok) ok.push(p.path);
    }
    expect(ok.sort()).toEqual(CHAT_LINK_REACHES[permission]);
  });

  test.each(reaches)("$path ($type) with its chat gets past the scope", async (p) => {
    const input = p.path === "groupchat.list" ? undefined : chatInput(ids.chat);
    expect(await pastTheScope(procedure(sessions[permission].principal, p.path)(input))).not.toMatch(/^FORBIDDEN/);
  });

  test.each(reaches.filter((p) => p.path !== "groupchat.list"))("$path ($type) refuses another chat", async (p) => {
    await expect(procedure(sessions[permission].principal, p.path)(chatInput(ids.otherChat))).rejects.toSatisfy(forbidden);
  });

  test.each(reaches.filter((p) => p.path !== "groupchat.list"))("$path ($type) refuses its chat named with an agent", async (p) => {
    const input = { ...chatInput(ids.chat), agentId: ids.agentB };
    await expect(procedure(sessions[permission].principal, p.path)(input)).rejects.toSatisfy(forbidden);
  });

  test.each(rest)("$path ($type) is FORBIDDEN, even with its chat's agents' ids and its chat id", async (p) => {
    const call = procedure(sessions[permission].principal, p.path);
    await expect(call(ownAgentsInput())).rejects.toSatisfy(forbidden);
    await expect(call({ ...ownAgentsInput(), chatId: ids.chat })).rejects.toSatisfy(forbidden);
  });

  test.each(rest)("$path ($type) over HTTP: 403", async (p) => {
    const body = JSON.stringify({ json: ownAgentsInput() });
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

  test("system.me tells the teammate its chat", async () => {
    const me = (await procedure(sessions[permission].principal, "system.me")(undefined)) as { principal: Record<string, unknown> };
    expect(me.principal).toMatchObject({ kind: "share", scope: "groupchat", groupChatId: ids.chat, agentId: null, permission });
  });
});

describe("over HTTP", () => {
  const get = (path: string, input: unknown, cookie: string) =>
    fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
      headers: { cookie, accept: "text/event-stream" },
    });
  const post = (path: string, input: unknown, cookie: string) =>
    fetch(`${bridge.base}/api/trpc/${path}`, {
      method: "POST",
      headers: { cookie, origin: bridge.base, "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });

  test.each([
    ["its chat's stream", "groupchat.onEvent", () => ({ chatId: ids.chat }), 200],
    ["another chat's stream", "groupchat.onEvent", () => ({ chatId: ids.otherChat }), 403],
    ["another chat", "groupchat.get", () => ({ chatId: ids.otherChat }), 403],
    ["the chat list's change feed (owner-only)", "groupchat.onChange", () => undefined, 403],
    ["its moderator's conversation", "turns.onEvent", () => ({ tabId: ids.tabA }), 403],
    ["its agents' status feed", "agents.onChange", () => undefined, 403],
  ])("%s (%s) → %i", async (_name, path, input, status) => {
    const res = await get(path, input(), sessions.view.cookie);
    expect(res.status).toBe(status);
    await res.body?.cancel();
  });

  test.each(["groupchat.send", "groupchat.stop", "groupchat.retry"])("a view link's %s in its own chat: 403, view only", async (path) => {
    const res = await post(path, { chatId: ids.chat, text: "hi" }, sessions.view.cookie);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(/view only/);
  });

  test("a control link's send in another chat: 403", async () => {
    const res = await post("groupchat.send", { chatId: ids.otherChat, text: "hi" }, sessions.control.cookie);
    expect(res.status).toBe(403);
    await res.body?.cancel();
  });

  test.each([
    ["/shared/groupchats/C", 200, null],
    ["/shared/groupchats/C/", 200, null],
    ["/shared/groupchats/O", 302, "/shared/groupchats/C"],
    ["/shared", 302, "/shared/groupchats/C"],
    ["/shared/agents/A", 302, "/shared/groupchats/C"],
    ["/groupchats/C", 302, "/shared/groupchats/C"],
    ["/", 302, "/shared/groupchats/C"],
  ])("page %s → %i for a chat link", async (page, status, location) => {
    const sub = (s: string) =>
      s
        .replace(/\/C(\/?)$/, `/${ids.chat}$1`)
        .replace(/\/O$/, `/${ids.otherChat}`)
        .replace(/\/A$/, `/${ids.agentA}`);
    const res = await fetch(`${bridge.base}${sub(page)}`, {
      headers: { cookie: sessions.view.cookie, accept: "text/html" },
      redirect: "manual",
    });
    expect(res.status).toBe(status);
    if (location) expect(res.headers.get("location")).toBe(sub(location));
    await res.body?.cancel();
  });

  test("an agent link never opens a chat's page or procedures", async () => {
    const { token } = await services.share.create({
      scope: "agent",
      agentId: ids.agentA,
      permission: "control",
      label: "a",
      expiresInSeconds: 3600,
    });
    const cookie = `maestro_share=${token}`;
    const page = await fetch(`${bridge.base}/shared/groupchats/${ids.chat}`, {
      headers: { cookie, accept: "text/html" },
      redirect: "manual",
    });
    expect([page.status, page.headers.get("location")]).toEqual([302, `/shared/agents/${ids.agentA}`]);
    for (const res of [await get("groupchat.get", { chatId: ids.chat }, cookie), await get("groupchat.list", undefined, cookie)]) {
      expect(res.status).toBe(403);
      await res.body?.cancel();
    }
  });

  test("opening the link lands on the chat's page and is written to History with the chat", async () => {
    const { token } = await chatLink(ids.chat, "control", "Robin");
    const res = await fetch(`${bridge.base}/api/share/open`, {
      method: "POST",
      headers: { origin: bridge.base, "content-type": "application/json", "x-forwarded-for": "203.0.113.77" },
      body: JSON.stringify({ token }),
    });
    expect(await res.json()).toMatchObject({ ok: true, home: `/shared/groupchats/${ids.chat}`, scope: "groupchat", permission: "control" });
    const entries = await services.db.historyEntry.findMany({
      where: { kind: "share-use", groupChatId: ids.chat, summary: { startsWith: "Robin" } },
    });
    expect(entries.map((e) => [e.summary, e.agentId])).toEqual([
      ["Robin opened the group chat “Team” (can send messages, stop and retry)", null],
    ]);
  });
});

describe("a chat made by the engine, through a share link", () => {
  const sim = tempDir("maestro-share-chat-sim-");
  const folders = ["mod", "alpha", "beta"].map((n) => path.join(dir, n));
  let chatId = "";
  let link: Awaited<ReturnType<typeof chatLink>>;
  beforeAll(async () => {
    process.env.MAESTRO_SIM_HOME = sim;
    for (const f of folders) fs.mkdirSync(f, { recursive: true });
    const [mod, alpha, beta] = await Promise.all(
      ["Mod", "Alpha", "Beta"].map((name, i) => services.agents.create({ name, folder: folders[i]!, provider: "simulator" })),
    );
    chatId = (
      await services.groupchat.create({ name: "Engine chat", moderatorAgentId: mod!.id, participantAgentIds: [alpha!.id, beta!.id] })
    ).id;
    link = await chatLink(chatId, "control", "Kim");
  });
  afterAll(() => fs.rmSync(sim, { recursive: true, force: true }));
  /** Where the agents' folders live on the owner's disk (a share session must never see it). */
  const root = () => dir;

  const read = async (path: string, input: unknown) => {
    const res = await fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
      headers: { cookie: link.cookie },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
  };

  test("the list holds its chat only; the view shows the participants' folders by name", async () => {
    const list = (await read("groupchat.list", undefined)) as { id: string }[];
    expect(list.map((c) => c.id)).toEqual([chatId]);
    const view = (await read("groupchat.get", { chatId })) as { participants: { name: string; folder: string }[] };
    expect(view.participants.map((p) => [p.name, p.folder])).toEqual([
      ["Alpha", "alpha"],
      ["Beta", "beta"],
    ]);
    const owner = await callerFor(services, { kind: "owner", sessionId: "o" }).groupchat.get({ chatId });
    expect(owner.participants.map((p) => p.folder)).toEqual([folders[1], folders[2]]);
  });

  test("the chat's stream carries its events to the link, and revoking the link cuts it at once", async () => {
    const revocable = await chatLink(chatId, "view", "Lee");
    const res = await fetch(`${bridge.base}/api/trpc/groupchat.onEvent?input=${encodeURIComponent(JSON.stringify({ json: { chatId } }))}`, {
      headers: { cookie: revocable.cookie, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = "";
    const decoder = new TextDecoder();
    // The backlog holds the chat's creation: its header and its participants (folders by name).
    while (!seen.includes('"type":"participants"')) seen += decoder.decode((await reader.read()).value ?? new Uint8Array());
    expect(seen).not.toContain(root());
    const ended = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return "closed";
      } catch {
        return "closed";
      }
    })();
    expect(await services.share.revoke(revocable.link.id)).toBe(true);
    expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r("still open"), 3000))])).toBe("closed");
  });

  test("a control link's message runs a round, and History says who sent it, with the chat", async () => {
    const sent = await procedure(link.principal, "groupchat.send")({ chatId, text: "Ship it? [sim: final]" });
    expect(sent).toMatchObject({ messageId: expect.any(String), roundId: expect.any(String) });
    const deadline = Date.now() + 15_000;
    let view = await services.groupchat.get(chatId);
    while (view.rounds.some((r) => r.status === "running") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      view = await services.groupchat.get(chatId);
    }
    expect(view.rounds.map((r) => r.status)).toEqual(["done"]);
    expect(view.messages.map((m) => [m.author, m.kind])).toEqual([
      ["user", "request"],
      ["moderator", "answer"],
    ]);
    const used = await services.db.historyEntry.findMany({ where: { kind: "share-use", groupChatId: chatId } });
    expect(used.map((e) => e.summary)).toEqual(["Kim sent a message to a group chat through a share link"]);
  });
});
