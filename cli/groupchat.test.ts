import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../server/testing/harness";
import { startRealBridge, type RealBridge } from "./testing/real-bridge";

/**
 * `maestro groupchat list|show|send` through the real bin against one real bridge whose chat has
 * a simulator moderator and two simulator participants.
 */
let bridge: RealBridge;
let root: string;
let chatId = "";

beforeAll(async () => {
  bridge = await startRealBridge();
  root = tempDir("maestro-cli-chat-");
  const agents = [];
  for (const name of ["Mod", "Alpha", "Beta"]) {
    const folder = path.join(root, name.toLowerCase());
    fs.mkdirSync(folder);
    agents.push(await bridge.services.agents.create({ name, folder, provider: "simulator" }));
  }
  const [mod, alpha, beta] = agents;
  chatId = (
    await bridge.services.groupchat.create({ name: "Team talk", moderatorAgentId: mod!.id, participantAgentIds: [alpha!.id, beta!.id] })
  ).id;
});
afterAll(async () => {
  await bridge.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const json = (s: string) => JSON.parse(s);

describe("maestro groupchat", () => {
  it("list prints the chats, --json the bridge's list", async () => {
    const text = await bridge.cli(["groupchat", "list"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+MODERATOR\s+PARTICIPANTS/);
    expect(text.stdout).toContain(`${chatId}  Team talk  idle`);
    expect(text.stdout).toContain("Alpha, Beta");
    const listed = json((await bridge.cli(["groupchat", "list", "--json"])).stdout);
    expect(listed).toEqual(await bridge.services.groupchat.list());
  });

  it("send --wait runs a round that fans out to both and prints the moderator's answer", async () => {
    const r = await bridge.cli(["groupchat", "send", "team talk", "How do we ship?", "--wait"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        "Summary of 2 answers to: How do we ship?",
        "- Alpha (done): Alpha looked at: Alpha Beta — please each look at this from your side: How do we ship.",
        "- Beta (done): Beta looked at: Alpha Beta — please each look at this from your side: How do we ship.",
        "",
      ].join("\n"),
    );
    const view = await bridge.services.groupchat.get(chatId);
    expect(view.messages.map((m) => `${m.author}:${m.kind}:${m.status}`)).toEqual([
      "user:request:done",
      "moderator:delegation:done",
      "participant:response:done",
      "participant:response:done",
      "moderator:synthesis:done",
    ]);
  });

  it("send --wait --json says how the round ended; a failed round is exit 1", async () => {
    const ok = await bridge.cli(["groupchat", "send", chatId.slice(0, 8), "Quick one [sim: final]", "--wait", "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok.stdout)).toMatchObject({ chatId, status: "done", error: null, answer: "Direct answer to: Quick one" });
    // A lost delegation is shown as the answer: the round is done, with the notice as its error.
    const lost = await bridge.cli(["groupchat", "send", chatId, "Anyone? [sim: lost]", "--wait", "--json"]);
    expect(lost.code, lost.stderr).toBe(0);
    expect(json(lost.stdout)).toMatchObject({ status: "done", error: expect.stringMatching(/neither delegated/) });
    await bridge.services.groupchat.update({ chatId, roundLimit: 2 });
    const limited = await bridge.cli(["groupchat", "send", chatId, "Again and again [sim: ping-pong]", "--wait"]);
    await bridge.services.groupchat.update({ chatId, roundLimit: 6 });
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/^maestro: the round ended limit: /);
  });

  it("send without --wait returns once the round started", async () => {
    const r = await bridge.cli(["groupchat", "send", "Team talk", "Later [sim: final]", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ chatId, status: "running", answer: null, roundId: expect.any(String) });
    const deadline = Date.now() + 10_000;
    while ((await bridge.services.groupchat.get(chatId)).rounds.some((x) => x.status === "running") && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 50));
  });

  it("show prints the transcript; --tail and --json", async () => {
    const r = await bridge.cli(["groupchat", "show", "Team talk", "--tail", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Team talk · idle");
    expect(r.stdout).toContain("moderator Mod (simulator); @Alpha @Beta");
    expect(r.stdout).toMatch(/You \(request\) · \S+\n {2}Later \[sim: final\]/);
    expect(r.stdout).toMatch(/Mod \(answer\) · \S+\n {2}Direct answer to: Later/);
    const view = json((await bridge.cli(["groupchat", "show", chatId, "--json"])).stdout);
    expect(view.messages.length).toBe((await bridge.services.groupchat.get(chatId)).messages.length);
  });

  it("an unknown chat is exit 4; an empty message is a usage error", async () => {
    const missing = await bridge.cli(["groupchat", "show", "nope", "--json"]);
    expect(missing.code).toBe(4);
    expect(json(missing.stdout)).toMatchObject({ success: false, code: "CHAT_NOT_FOUND" });
    const empty = await bridge.cli(["groupchat", "send", chatId, "  "]);
    expect(empty.code).toBe(2);
  });
});

describe("maestro share create --chat", () => {
  it("makes a link to that chat only, and refuses --can-approve", async () => {
    const r = await bridge.cli(["share", "create", "team talk", "--chat", "--scope", "control", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ success: true, groupChatId: chatId, permission: "control", label: "CLI: Team talk" });
    expect(out.url).toMatch(/\/share#token=/);
    const link = (await bridge.services.share.list()).find((l) => l.id === out.id)!;
    expect(link).toMatchObject({ scope: "groupchat", groupChatId: chatId, agentId: null, groupChatName: "Team talk" });
    const listed = await bridge.cli(["share", "list"]);
    expect(listed.stdout).toMatch(new RegExp(`${out.id}\\s+CLI: Team talk\\s+groupchat\\s+control\\s+chat Team talk\\s+active`));
    const approve = await bridge.cli(["share", "create", "team talk", "--chat", "--scope", "control", "--can-approve"]);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toMatch(/not a group chat/);
  });
});
