import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshPairingUrl, startBridge } from "./bridge-process";
import { expect, test } from "./fixtures";

/**
 * The dashboard fetches the newest turns of its first agents while idle; opening one shows that
 * conversation at once and resumes the live stream after it. Turns that ran in between still
 * arrive, and every reply shows exactly once. (Its own bridge: the dashboard's first agents must
 * be this test's.)
 */
test("an agent warmed on the dashboard opens with its conversation, and later turns arrive exactly once", async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "one journey is enough; the logic is the same at both sizes");
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-warm-"));
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-warm-project-"));
  const bridge = await startBridge(home);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    await page.goto(freshPairingUrl(home, bridge.url));
    await page.getByLabel("Device name").fill("warm");
    await page.getByRole("button", { name: "Pair", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();

    const call = async <T>(method: "query" | "mutation", p: string, input: unknown): Promise<T> => {
      const url = `${bridge.url}/api/trpc/${p}`;
      const res =
        method === "query"
          ? await page.request.get(`${url}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
          : await page.request.post(url, { headers: { origin: bridge.url, "content-type": "application/json" }, data: { json: input } });
      expect(res.status(), p).toBe(200);
      return (await res.json()).result.data.json as T;
    };
    const settled = async (tabId: string, turns: number) =>
      expect
        .poll(async () => (await call<{ status: string }[]>("query", "turns.list", { tabId })).filter((t) => t.status !== "running").length)
        .toBe(turns);

    const agent = await call<{ id: string }>("mutation", "agents.create", { name: "Warm agent", folder: project });
    const [tab] = await call<{ id: string }[]>("query", "tabs.list", { agentId: agent.id });
    await call("mutation", "turns.send", { tabId: tab!.id, prompt: "first question" });
    await settled(tab!.id, 1);

    // The dashboard warms the agent's tab while idle…
    const warmed = page.waitForResponse((r) => r.url().includes("turns.tail") && r.url().includes(tab!.id) && r.status() === 200);
    await page.reload();
    await warmed;
    // …then another turn runs before the agent is opened.
    await call("mutation", "turns.send", { tabId: tab!.id, prompt: "second question" });
    await settled(tab!.id, 2);

    await page.getByRole("link", { name: "Warm agent", exact: true }).click();
    const replies = page.getByRole("article", { name: "Assistant reply" });
    await expect(replies).toHaveCount(2);
    await expect(replies.nth(0)).toContainText("turn 1 of this session");
    await expect(replies.nth(1)).toContainText("turn 2 of this session");
    // Each prompt once, too.
    await expect(page.getByText("first question", { exact: true })).toHaveCount(1);
    await expect(page.getByText("second question", { exact: true })).toHaveCount(1);
  } finally {
    await context.close();
    bridge.child.kill("SIGTERM");
    await new Promise((r) => bridge.child.once("exit", r));
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(project, { recursive: true, force: true });
  }
});
