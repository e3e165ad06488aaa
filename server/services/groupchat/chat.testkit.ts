import fs from "node:fs";
import { expect } from "vitest";
import type { ChatView, StoredChatEvent } from "../../../lib/groupchat/types";
import { createTestServices, tempDir } from "../../testing/harness";

/** A service graph with simulator agents for group chat tests: short timeouts, a fast stream flush. */
export function chatTestbed(options: { participantTimeoutMs?: number } = {}) {
  const simHome = tempDir("maestro-gc-sim-");
  process.env.MAESTRO_SIM_HOME = simHome;
  const project = tempDir("maestro-gc-project-");
  const services = createTestServices({
    turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 },
    groupchat: { participantTimeoutMs: options.participantTimeoutMs ?? 8000, flushMs: 30 },
  });
  const notifies: { title: string; body: string; url: string; tag?: string }[] = [];
  services.bus.subscribe("notify", (n) => n.kind === "groupchat" && notifies.push(n));

  async function agent(name: string, env: Record<string, string> = {}) {
    const a = await services.agents.create({ name, folder: project, provider: "simulator" });
    if (Object.keys(env).length > 0)
      await services.db.agent.update({ where: { id: a.id }, data: { settingsJson: JSON.stringify({ env }) } });
    return a;
  }

  /** Waits until the round is no longer running; returns it. */
  async function roundEnd(roundId: string, timeoutMs = 40_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await services.db.groupChatRound.findUniqueOrThrow({ where: { id: roundId } });
      const chat = await services.db.groupChat.findUniqueOrThrow({ where: { id: r.chatId } });
      // The round row ends in the same commit as the chat's status: both are final here.
      if (r.status !== "running" && !["moderator", "agents", "synthesizing"].includes(chat.status)) return r;
      if (Date.now() > end) throw new Error(`round ${roundId} still ${r.status}`);
      await new Promise((res) => setTimeout(res, 40));
    }
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((res) => setTimeout(res, 30));
    }
  }

  async function allEvents(chatId: string, after = 0): Promise<StoredChatEvent[]> {
    const out: StoredChatEvent[] = [];
    for await (const page of services.groupchat.pagesAfter(chatId, after)) out.push(...page);
    return out;
  }

  async function messages(chatId: string) {
    return (await services.groupchat.get(chatId)).messages;
  }

  async function cleanup() {
    await services.cleanup();
    for (const d of [simHome, project]) fs.rmSync(d, { recursive: true, force: true });
  }

  return { services, project, simHome, notifies, agent, roundEnd, until, allEvents, messages, cleanup };
}

/** An empty view for a chat: what a client starts from before its first event. */
export function emptyView(base: ChatView): ChatView {
  return { ...base, participants: [], rounds: [], messages: [], activity: {}, lastEventId: 0 };
}

/** The parts of two views that must be equal after a fold (the header's write time is the commit's clock). */
export function expectSameView(folded: ChatView, stored: ChatView) {
  const norm = (v: ChatView) => ({
    chat: { ...v.chat, updatedAt: "" },
    participants: v.participants,
    rounds: [...v.rounds].sort((a, b) => a.index - b.index),
    messages: v.messages,
    lastEventId: v.lastEventId,
  });
  expect(norm(folded)).toEqual(norm(stored));
}
