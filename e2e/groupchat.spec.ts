import type { Page } from "@playwright/test";
import { bridgeUrl, expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type Msg = { id: string; author: string; agentName: string; text: string; status: string; tabId: string | null; roundId: string | null };
type View = { messages: Msg[]; participants: { agentName: string; tabId: string | null }[]; lastEventId: number };

const cards = (page: Page) => page.locator('article[aria-label$="\'s answer"]');
const card = (page: Page, name: string) => page.getByRole("article", { name: `${name}'s answer` });
const working = (page: Page) => page.locator('article[aria-label$="\'s answer"][data-status="streaming"]');

/**
 * Every message element on screen has its own id (nothing shown twice), and the screen holds the
 * bridge's messages (nothing missing; polled, since a running round may add one between the reads).
 */
async function expectEachMessageOnce(page: Page, chatId: string) {
  const shownIds = () => page.locator("[data-message-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-message-id")!));
  const shown = await shownIds();
  expect(new Set(shown).size).toBe(shown.length);
  await expect
    .poll(async () => {
      const view = await trpcQuery<View>(page.request, "groupchat.get", { chatId });
      const ids = await shownIds();
      expect(new Set(ids).size).toBe(ids.length);
      const onScreen = [...ids].sort().join(" ");
      const stored = view.messages
        .map((m) => m.id)
        .sort()
        .join(" ");
      return onScreen === stored ? "the same messages" : `on screen: ${onScreen}; stored: ${stored}`;
    })
    .toBe("the same messages");
}

test("a group chat from the phone: three agents answer in parallel, a chain carries an answer on, Stop, a reload mid-round, a share link, History", async ({
  pairedPage: page,
  projectDir,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const tag = `${testInfo.project.name.slice(0, 1)}${Date.now() % 100000}`;
  const names = [`Ada${tag}`, `Bob${tag}`, `Cy${tag}`];
  const moderator = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", {
    name: `Mod${tag}`,
    folder: projectDir,
  });
  for (const name of names) {
    const a = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", { name, folder: projectDir });
    // Slow streams, so three answers are on screen while they are being written.
    await trpcMutation(page.request, "agents.updateSettings", {
      id: a.id,
      settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "150", MAESTRO_SIM_EVENTS: "24" } },
    });
  }
  const [ada, bob] = names as [string, string, string];

  // One tap from the dashboard to the chats, then a new chat with the three agents.
  await page.goto("/");
  const nav =
    testInfo.project.name === "phone"
      ? page.getByRole("navigation", { name: "Main" }).last()
      : page.getByRole("complementary", { name: "Sidebar" });
  await nav.getByRole("link", { name: /Chats|Group chats/ }).click();
  await expect(page).toHaveURL(/\/groupchats$/);
  await page.getByRole("button", { name: "New group chat" }).first().click();
  const sheet = page.getByRole("dialog", { name: "New group chat" });
  const chatName = `Release ${tag}`;
  await sheet.getByLabel("Name").fill(chatName);
  await sheet.getByLabel("Moderator").selectOption(moderator.id);
  for (const n of names) await sheet.getByRole("checkbox", { name: new RegExp(n) }).check();
  await sheet.getByRole("button", { name: "Create chat" }).click();
  await expect(page).toHaveURL(/\/groupchats\/[^/]+$/);
  const chatId = decodeURIComponent(page.url().split("/").pop()!);
  await expect(page.getByRole("heading", { name: chatName })).toBeVisible();

  // A question fans out: all three cards stream at the same time, then the moderator sums up.
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("Is the release ready?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("article", { name: "Your message" })).toHaveText(/Is the release ready\?/);
  await expect(working(page)).toHaveCount(3);
  const strip = page.getByRole("status", { name: "Working now" });
  for (const n of names) await expect(strip).toContainText(n);
  await expect(working(page)).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole("status", { name: "Working now" })).toBeHidden({ timeout: 30_000 });
  await expect(cards(page)).toHaveCount(3);
  for (const n of names) await expect(card(page, n)).toHaveAttribute("data-status", "done");
  const moderatorBubbles = page.getByRole("article", { name: `Moderator ${moderator.name}` });
  await expect(moderatorBubbles).toHaveCount(2);
  await expectEachMessageOnce(page, chatId);

  // A chain: A first, then B with A's answer in its request.
  await box.fill(`[sim: chain ${ada} ${bob}] Check the changelog, then the version`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(cards(page)).toHaveCount(4);
  await expect(cards(page).nth(3)).toHaveAttribute("aria-label", `${ada}'s answer`);
  await expect(cards(page)).toHaveCount(5, { timeout: 60_000 });
  await expect(cards(page).nth(4)).toHaveAttribute("aria-label", `${bob}'s answer`);
  await expect(page.getByRole("status", { name: "Working now" })).toBeHidden({ timeout: 60_000 });
  const afterChain = await trpcQuery<View>(page.request, "groupchat.get", { chatId });
  const adaAnswer = afterChain.messages.filter((m) => m.author === "participant" && m.agentName === ada).at(-1)!;
  const bobAnswer = afterChain.messages.filter((m) => m.author === "participant" && m.agentName === bob).at(-1)!;
  expect(adaAnswer.status).toBe("done");
  // B's request (the prompt of its turn in its own tab) carries A's answer forward.
  const bobEvents = await trpcQuery<{ type: string; text?: string; prompt?: string }[]>(page.request, "turns.tail", {
    tabId: bobAnswer.tabId,
    tail: 400,
  });
  const prompts = JSON.stringify(bobEvents.filter((e) => e.type === "prompt"));
  expect(prompts).toContain(adaAnswer.text.split("\n")[0]!.slice(0, 40));

  // Stop mid-round: the chat says stopped, no card is left working, Retry is offered.
  await box.fill("Run the whole test suite");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(working(page)).toHaveCount(3);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("status", { name: "Chat status" })).toHaveText("Stopped", { timeout: 20_000 });
  await expect(working(page)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();

  // Retry, and reload while the round runs: every message once, and the round finishes live.
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(working(page).first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: chatName })).toBeVisible();
  await expect(working(page).first()).toBeVisible();
  await expectEachMessageOnce(page, chatId);
  await expect(page.getByRole("status", { name: "Working now" })).toBeHidden({ timeout: 60_000 });
  await expectEachMessageOnce(page, chatId);

  // A view link of the chat, opened in another browser, shows the same chat read-only.
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const share = page.getByRole("dialog", { name: `Share the group chat “${chatName}”` });
  await share.getByLabel("Label").fill(`Sam (chat, ${testInfo.project.name})`);
  await share.getByRole("button", { name: "Create link" }).click();
  const link = (await share.getByLabel("Share link").textContent())!.trim();
  await share.getByRole("button", { name: "Done" }).click();
  const teammateContext = await browser.newContext({ baseURL: bridgeUrl(), viewport: page.viewportSize()! });
  const teammate = await teammateContext.newPage();
  await teammate.goto(link);
  await expect(teammate).toHaveURL(new RegExp(`/shared/groupchats/${chatId}$`));
  await expect(teammate.getByRole("heading", { name: chatName })).toBeVisible();
  await expect(cards(teammate)).toHaveCount(await cards(page).count());
  await expect(teammate.getByText("View only: you can watch this chat but not send to it.")).toBeVisible();
  await expect(teammate.getByRole("textbox", { name: "Message" })).toHaveCount(0);
  await expect(teammate.getByRole("link", { name: "Open in agent" })).toHaveCount(0);
  await teammateContext.close();

  // History lists the chat's answers; an entry's detail opens the chat and the agent's session.
  await page.goto("/history");
  await page.getByRole("searchbox", { name: "Search History" }).fill(ada);
  const answered = page.getByRole("button", { name: new RegExp(`^${ada} Group chat answer .*Succeeded`) }).first();
  await expect(answered).toBeVisible();
  await answered.click();
  const detail =
    testInfo.project.name === "phone"
      ? page.getByRole("dialog", { name: /^Group chat/ })
      : page.getByRole("complementary", { name: "Entry details" });
  await expect(detail.getByRole("link", { name: "Open session" })).toBeVisible();
  await detail.getByRole("link", { name: "Open group chat" }).click();
  await expect(page).toHaveURL(new RegExp(`/groupchats/${chatId}$`));
  await expect(page.getByRole("heading", { name: chatName })).toBeVisible();
});
