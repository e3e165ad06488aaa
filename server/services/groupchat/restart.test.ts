import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startBridge } from "../../../e2e/bridge-process";
import { foldChat } from "../../../lib/groupchat/fold";
import type { ChatView } from "../../../lib/groupchat/types";
import { openDatabase } from "../../db";
import { readServicesEnv } from "../../env";
import { silentLogger } from "../../logger";
import { buildApp, needsBuild } from "../../next-build";
import { createServices } from "..";
import { pairedBridgeClient } from "../../testing/bridge-client";
import { tempDir } from "../../testing/harness";
import { emptyView, expectSameView } from "./chat.testkit";

/**
 * The real bridge process is killed with SIGKILL while participants stream their answers, then
 * started again on the same data dir: the round comes back interrupted, nothing is duplicated,
 * a resend of the same message is recognised, and Retry runs the round again to its end.
 */
const dataDir = tempDir("maestro-gc-restart-home-");
const project = tempDir("maestro-gc-restart-project-");
const simHome = tempDir("maestro-gc-restart-sim-");
// Slow enough that the participants are surely mid-answer when the bridge dies.
const env = { MAESTRO_SIM_HOME: simHome, MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "150" };
const bridges: Awaited<ReturnType<typeof startBridge>>[] = [];

beforeAll(() => {
  if (needsBuild()) buildApp();
}, 600_000);
afterAll(async () => {
  for (const b of bridges) {
    if (b.child.exitCode === null && b.child.signalCode === null) {
      b.child.kill("SIGTERM");
      await new Promise((r) => b.child.once("exit", r));
    }
  }
  for (const d of [dataDir, project, simHome]) fs.rmSync(d, { recursive: true, force: true });
});

/** A paired tRPC client for a running bridge (cookie from the real pairing endpoint). */
const client = (base: string) => pairedBridgeClient(dataDir, base, "group chat restart test");

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("SIGKILL mid-round: the round comes back interrupted, nothing twice, and Retry runs it to the end", async () => {
  const first = await startBridge(dataDir, env);
  bridges.push(first);
  const api = await client(first.url);
  const moderator = await api.mutate("agents.create", { name: "Moderator", folder: project, provider: "simulator" });
  const ann = await api.mutate("agents.create", { name: "Ann", folder: project, provider: "simulator" });
  const bob = await api.mutate("agents.create", { name: "Bob", folder: project, provider: "simulator" });
  const { id: chatId } = await api.mutate("groupchat.create", {
    name: "Restart",
    moderatorAgentId: moderator.id,
    participantAgentIds: [ann.id, bob.id],
  });
  const message = { chatId, text: "Both of you, please. [sim: parallel]", clientId: "restart-1" };
  const sent = await api.mutate("groupchat.send", message);

  // Both participants mid-answer: streaming, with some of their text stored.
  await waitFor("both participants streaming text", async () => {
    const v: ChatView = await api.query("groupchat.get", { chatId });
    const streaming = v.messages.filter((m) => m.kind === "response" && m.status === "streaming" && m.text.length > 0);
    return streaming.length === 2;
  });
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));
  // Let the orphaned simulators of the killed bridge finish or die on their broken pipes.
  await new Promise((r) => setTimeout(r, 1500));

  const second = await startBridge(dataDir, env);
  bridges.push(second);
  const api2 = await client(second.url);
  const back: ChatView = await api2.query("groupchat.get", { chatId });
  expect(back.rounds).toHaveLength(1);
  expect(back.rounds[0]).toMatchObject({ id: sent.roundId, status: "interrupted" });
  expect(back.chat.status).toBe("idle");
  expect(back.chat.statusDetail).toMatch(/Interrupted/);
  expect(back.chat.working).toEqual([]);
  expect(back.messages.filter((m) => m.status === "streaming")).toEqual([]);
  const cut = back.messages.filter((m) => m.kind === "response");
  expect(cut.map((m) => m.status)).toEqual(["interrupted", "interrupted"]);
  expect(cut.every((m) => m.text.length > 0)).toBe(true);

  // The same message sent again (its answer was lost with the bridge) is recognised.
  const resent = await api2.mutate("groupchat.send", message);
  expect(resent).toMatchObject({ messageId: sent.messageId, duplicate: true });

  const { roundId } = await api2.mutate("groupchat.retry", { chatId });
  const done = await waitFor(
    "the retried round done",
    async () => {
      const v: ChatView = await api2.query("groupchat.get", { chatId });
      return v.rounds.find((r) => r.id === roundId)?.status === "done" && v.chat.status === "idle" ? v : null;
    },
    60_000,
  );
  expect(done.messages.filter((m) => m.author === "user")).toHaveLength(1);
  expect(new Set(done.messages.map((m) => m.id)).size).toBe(done.messages.length);
  const again = done.messages.filter((m) => m.roundId === roundId && m.kind === "response");
  expect(again.map((m) => m.status)).toEqual(["done", "done"]);
  expect(done.messages.filter((m) => m.kind === "synthesis" && m.roundId === roundId)).toHaveLength(1);

  // The stream, as stored across both bridges, folds to the same chat as `get`: nothing lost, nothing twice.
  second.child.kill("SIGTERM");
  await new Promise((r) => second.child.once("exit", r));
  const db = openDatabase(dataDir);
  const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger });
  try {
    const view = await services.groupchat.get(chatId);
    const events = [];
    for await (const page of services.groupchat.pagesAfter(chatId, 0)) events.push(...page);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expectSameView(foldChat(emptyView(view), events), view);
  } finally {
    await services.shutdown();
    await db.$disconnect();
  }
}, 240_000);
