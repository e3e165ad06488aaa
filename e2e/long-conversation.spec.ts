import { randomUUID } from "node:crypto";
import path from "node:path";
import { EventTable, openFastDb, TurnTable } from "../server/db/fast";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/**
 * A long conversation opens at its newest turns (the bridge sends the last 400 events); the
 * header still counts every turn and its cost, and "Load earlier messages" brings the rest, in
 * order, each once. The history is written straight into the bridge's database, as 200 turns of
 * earlier work would have left it.
 */
const TURNS = 200;

function seedConversation(tabId: string, agentId: string) {
  const db = openFastDb(path.join(process.env.MAESTRO_E2E_HOME!, "maestro.db"));
  const start = Date.now() - TURNS * 60_000;
  const turns = [];
  const events = [];
  for (let i = 1; i <= TURNS; i++) {
    const id = randomUUID();
    const at = start + i * 60_000;
    const prompt = `question ${i}`;
    // 1,000 tokens in, 100 out and one cent per turn: 200 turns come to $2.0000 (shown to the hundredth of a cent).
    turns.push({
      id,
      tabId,
      agentId,
      prompt,
      status: "done",
      errorKind: null,
      errorMessage: null,
      inputTokens: 1000,
      outputTokens: 100,
      costUsd: 0.01,
      startedAt: new Date(at),
      endedAt: new Date(at + 900),
      durationMs: 900,
      clientId: null,
      gitBefore: null,
      gitAfter: null,
      gitChanged: null,
    });
    events.push({ turnId: id, type: "prompt", payload: JSON.stringify({ prompt, images: 0 }), createdAt: new Date(at) });
    events.push({ turnId: id, type: "text", payload: JSON.stringify({ text: `answer ${i}` }), createdAt: new Date(at + 500) });
    events.push({
      turnId: id,
      type: "turn_end",
      payload: JSON.stringify({ status: "done", durationMs: 900, inputTokens: 1000, outputTokens: 100, costUsd: 0.01 }),
      createdAt: new Date(at + 900),
    });
  }
  db.insertRows(TurnTable, turns);
  db.insertRows(EventTable, events);
  db.close();
}

test("a long conversation opens at its newest turns, counts all of them, and loads the earlier ones once", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "one journey is enough; the header and the list are the same components at both sizes");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Long ${Date.now()}`, folder: projectDir });
  const [tab] = await trpcQuery<{ id: string }[]>(page.request, "tabs.list", { agentId: agent.id });
  seedConversation(tab!.id, agent.id);

  await page.goto(`/agents/${agent.id}`);
  const replies = page.getByRole("article", { name: "Assistant reply" });
  await expect(replies.last()).toContainText(`answer ${TURNS}`);
  // Every turn counts in the header, not just the ones loaded.
  const header = page.getByText(/\d+ turns/).first();
  await expect(header).toHaveText(`${TURNS} turns`);
  await expect(page.getByText("$2.0000", { exact: true })).toBeVisible();

  // 600 events; the newest 400 reach into turn 67, which is loaded whole: 134 turns shown, 66 to load.
  // Up to the top of the conversation, as a reader would (Home on the focused list).
  const conversation = page.getByRole("region", { name: "Conversation" });
  const loadEarlier = page.getByRole("button", { name: /Load earlier messages \(66 more turns\)/ });
  await conversation.focus();
  await expect(async () => {
    await page.keyboard.press("Home");
    await expect(loadEarlier).toBeInViewport({ timeout: 500 });
  }).toPass();
  await loadEarlier.click();
  await expect(loadEarlier).toBeHidden();
  await expect(header).toHaveText(`${TURNS} turns`);
  await expect(page.getByText("$2.0000", { exact: true })).toBeVisible();

  // The oldest turns are there now, in order and once each.
  await conversation.focus();
  await expect(async () => {
    await page.keyboard.press("Home");
    await expect(page.getByText("question 1", { exact: true })).toHaveCount(1, { timeout: 500 });
  }).toPass();
  await expect(page.getByText("answer 1", { exact: true })).toHaveCount(1);
  const shown = await page.getByText(/^question \d+$/).allTextContents();
  const numbers = shown.map((s) => Number(s.split(" ")[1]));
  expect(numbers[0]).toBe(1);
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  expect(new Set(numbers).size).toBe(numbers.length);
});
