import { randomUUID } from "node:crypto";
import path from "node:path";
import { HistoryEntryTable, openFastDb } from "../server/db/fast";
import { expect, test } from "./fixtures";

/**
 * History pages in as the reader scrolls: 75 entries (more than two pages of 30) all arrive,
 * newest first, each once, and the list says when there is nothing older. The entries are
 * written straight into the bridge's database, as weeks of use would have left them.
 */
const COUNT = 75;

test("History loads older entries as the phone scrolls, each once, newest first, to the end", async ({ pairedPage: page }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "one journey is enough; the timeline is the same component at both sizes");
  const stamp = `scroll-${Date.now()}`;
  const db = openFastDb(path.join(process.env.MAESTRO_E2E_HOME!, "maestro.db"));
  const now = Date.now();
  // Entry 1 is the oldest, a minute apart: all within the last two hours.
  db.insertRows(
    HistoryEntryTable,
    Array.from({ length: COUNT }, (_, n) => ({
      id: randomUUID(),
      kind: "turn",
      agentId: null,
      agentName: "Scroller",
      tabId: null,
      turnId: null,
      runId: null,
      groupChatId: null,
      success: true,
      summary: `${stamp} entry ${String(n + 1).padStart(3, "0")}`,
      detail: "",
      durationMs: 1000,
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.001,
      createdAt: new Date(now - (COUNT - n) * 60_000),
    })),
  );
  db.close();

  await page.goto("/history");
  await page.getByRole("searchbox", { name: "Search History" }).fill(stamp);
  const entries = page.getByRole("button", { name: new RegExp(`${stamp} entry`) });
  await expect(entries.first()).toContainText(`entry ${String(COUNT).padStart(3, "0")}`);
  // One page at first; scrolling to the end brings the rest.
  expect(await entries.count()).toBeLessThan(COUNT);
  const end = page.getByText("That is everything in this range.");
  await expect(async () => {
    await entries.last().scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 4000);
    await expect(end).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  const shown = (await entries.allTextContents()).map((t) => Number(/entry (\d{3})/.exec(t)![1]));
  expect(shown).toEqual(Array.from({ length: COUNT }, (_, i) => COUNT - i));
});
