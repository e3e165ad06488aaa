import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

test("owner checks History on the phone: finds the turn, filters failures, opens the detail and jumps to the session", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const agent = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", {
    name: `Hist ${stamp}`,
    folder: projectDir,
  });
  const [tab] = await trpcQuery<{ id: string }[]>(page.request, "tabs.list", { agentId: agent.id });

  // A real user turn through the composer.
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("textbox", { name: "Message" }).fill(`Tell me about the lighthouse ${stamp}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText("turn 1");

  // A second agent whose CLI fails (the simulator's auth fault, set through the agent's environment).
  const broken = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", {
    name: `Broken ${stamp}`,
    folder: projectDir,
  });
  await trpcMutation(page.request, "agents.updateSettings", { id: broken.id, settings: { env: { MAESTRO_SIM_FAULT: "auth" } } });
  const [brokenTab] = await trpcQuery<{ id: string }[]>(page.request, "tabs.list", { agentId: broken.id });
  await trpcMutation(page.request, "turns.send", { tabId: brokenTab!.id, prompt: `This will fail ${stamp}` });

  await page.goto("/history");
  await expect(page.getByRole("heading", { name: "History", level: 1 })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search History" }).fill(stamp);
  const ok = page.getByRole("button", { name: new RegExp(`Hist ${stamp}.*Answered without changing any file`) });
  await expect(ok).toBeVisible();
  // The failed turn arrives live (no reload) and is marked failed in words, not only colour.
  const failed = page.getByRole("button", { name: new RegExp(`Broken ${stamp}.*Failed`) });
  await expect(failed).toBeVisible();

  // Totals show tokens and cost for the range, with a chart that has an accessible name.
  await expect(page.getByRole("img", { name: /per day, 30 days/ })).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Totals per agent" }).getByRole("button", { name: new RegExp(`^Hist ${stamp}: \\$`) }),
  ).toBeVisible();

  // Filters: only failures, only turns.
  if (testInfo.project.name === "phone") await page.getByRole("button", { name: /^Filters/ }).click();
  await page.getByRole("button", { name: "Failed", exact: true }).click();
  await page.getByRole("button", { name: "Turns", exact: true }).click();
  if (testInfo.project.name === "phone") {
    const sheet = page.getByRole("dialog", { name: "Filters" });
    await sheet.getByRole("button", { name: "Show results" }).click();
    await expect(sheet).toBeHidden();
    await expect(page.getByRole("button", { name: "Filters (2)" })).toBeVisible();
  }
  await expect(failed).toBeVisible();
  await expect(ok).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("history-failed.png") });
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(ok).toBeVisible();

  // Text search matches literally: "%" does not act as a wildcard.
  await page.getByRole("searchbox", { name: "Search History" }).fill(`${stamp}%`);
  await expect(page.getByText("Nothing matches")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search History" }).fill(stamp);
  await expect(ok).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("history.png"), fullPage: true });

  // The detail: the full summary, the prompt, and the way back to the session.
  await ok.click();
  const detail =
    testInfo.project.name === "phone"
      ? page.getByRole("dialog", { name: "Turn" })
      : page.getByRole("complementary", { name: "Entry details" });
  await expect(detail).toContainText("Answered without changing any file in the folder. This is turn 1 of this session.");
  await expect(detail).toContainText(`Tell me about the lighthouse ${stamp}`);
  await page.screenshot({ path: testInfo.outputPath("history-detail.png") });
  await detail.getByRole("link", { name: "Open session" }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}\\?tab=${tab!.id}`));
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText("turn 1");
});
