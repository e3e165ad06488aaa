import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type Tab = { id: string };
type Turn = { id: string; prompt: string; status: string };

/** The tab's turns; one retry when a kept-alive socket was reset under us (toggling offline does that). */
async function turnsOf(request: Parameters<typeof trpcQuery>[0], tabId: string): Promise<Turn[]> {
  try {
    return await trpcQuery<Turn[]>(request, "turns.list", { tabId });
  } catch (err) {
    if (!/ECONNRESET|socket hang up/.test(String(err))) throw err;
    return trpcQuery<Turn[]>(request, "turns.list", { tabId });
  }
}

test("prompts written offline are queued durably and go out in order, each once, when the phone is back", async ({
  pairedPage: page,
  projectDir,
  context,
}, testInfo) => {
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Offline ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  const [tab] = await trpcQuery<Tab[]>(page.request, "tabs.list", { agentId: agent.id });
  await page.goto(`/agents/${agent.id}`);
  // Let the service worker take the page, so the app shell is cached for the offline reload.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const message = page.getByRole("textbox", { name: "Message" });
  await expect(message).toBeVisible();

  await context.setOffline(true);
  await expect(page.getByText("Can't reach Maestro — retrying…")).toBeVisible();
  for (const text of ["first written offline", "second written offline"]) {
    await message.fill(text);
    await page.getByRole("button", { name: "Send", exact: true }).click();
  }
  const queue = page.getByRole("region", { name: /Queued \(2\)/ });
  await expect(queue).toContainText("Queued — will send when back online.");
  await expect(queue.getByRole("listitem")).toHaveText([/first written offline/, /second written offline/]);

  // Still offline, the page is reloaded: the service worker serves the shell and the queue is read back from IndexedDB.
  await page.reload();
  await expect(page.getByRole("region", { name: /Queued \(2\)/ })).toBeVisible();

  await context.setOffline(false);
  // Both go out, one after the other, and the queue empties.
  await expect(page.getByRole("region", { name: /Queued/ })).toHaveCount(0, { timeout: 30_000 });
  await expect
    .poll(async () => (await turnsOf(page.request, tab!.id)).map((t) => `${t.prompt}:${t.status}`), { timeout: 30_000 })
    .toEqual(["first written offline:done", "second written offline:done"]);
  // Nothing went twice, even after a while.
  await page.waitForTimeout(1500);
  expect((await turnsOf(page.request, tab!.id)).map((t) => t.prompt)).toEqual(["first written offline", "second written offline"]);
  // The stored queue is empty: a reload sends nothing more.
  await page.reload();
  await expect(message).toBeVisible();
  await page.waitForTimeout(1000);
  expect(await turnsOf(page.request, tab!.id)).toHaveLength(2);
});
