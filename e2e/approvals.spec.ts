import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { bridgeUrl, expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type Agent = { id: string; name: string };

/** A simulator agent (it speaks claude, which asks) in Ask me mode, open on its conversation. */
async function askingAgent(page: Page, projectDir: string, name: string, settings: Record<string, unknown> = {}) {
  const agent = await trpcMutation<Agent>(page.request, "agents.create", { name: `${name} ${Date.now()}`, folder: projectDir });
  await trpcMutation(page.request, "agents.updateSettings", { id: agent.id, settings: { permissionMode: "ask", ...settings } });
  await page.goto(`/agents/${agent.id}`);
  return agent;
}

async function send(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

const card = (page: Page, title: RegExp) =>
  page.locator("section[data-approval]").filter({ has: page.getByRole("heading", { name: title }) });
const lastReply = (page: Page) => page.getByRole("article", { name: "Assistant reply" }).last();
const turnEnded = (page: Page) => expect(page.getByRole("button", { name: "Stop" })).toBeHidden({ timeout: 30_000 });

test.describe("approvals from the phone", () => {
  test("a write asks first: Deny with a reason, then Allow; a question; Always allow", async ({ pairedPage: page, projectDir }) => {
    await askingAgent(page, projectDir, "Asks");

    // Deny with a reason: the card says who denied it and why; the reply says it was denied.
    await send(page, "write a file named hello.txt containing hi");
    const first = card(page, /wants to write/);
    await expect(first).toBeVisible();
    await expect(first.getByText("hello.txt", { exact: true })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Waiting for you" })).toBeVisible();
    await first.getByRole("button", { name: "Deny" }).click();
    await first.getByLabel(/Reason/).fill("not in this folder");
    await first.getByRole("button", { name: "Deny" }).click();
    await expect(first.getByRole("status")).toHaveText(/^Denied by .+: not in this folder$/);
    await turnEnded(page);
    await expect(lastReply(page)).toContainText("Could not write hello.txt: permission denied (not in this folder)");
    await expect(page.getByRole("status").filter({ hasText: "Waiting for you" })).toHaveCount(0);
    expect(fs.existsSync(path.join(projectDir, "hello.txt"))).toBe(false);

    // Again, allowed: the file is written.
    await send(page, "write a file named hello.txt containing hi");
    const second = page.locator('section[data-approval][data-state="pending"]');
    await second.getByRole("button", { name: "Allow once" }).click();
    await turnEnded(page);
    await expect(lastReply(page)).toContainText("Created hello.txt");
    expect(fs.readFileSync(path.join(projectDir, "hello.txt"), "utf8")).toBe("hi\n");
    await expect(page.locator('section[data-approval][data-state="allowed"]').last().getByRole("status")).toHaveText(/^Allowed by /);

    // A question: pick an option, send; the reply has the answer.
    await send(page, "ask me which colour the button should be: red, blue or green");
    const question = card(page, /asks$/);
    const submit = question.getByRole("button", { name: "Send answer" });
    await expect(submit).toBeDisabled();
    await question.getByRole("radio", { name: /Blue/ }).click();
    await submit.click();
    await turnEnded(page);
    await expect(lastReply(page)).toContainText("→ Blue");

    // Always allow a command prefix: the next matching command runs without a card.
    await send(page, "run `touch build.txt`");
    const cmd = card(page, /wants to run/);
    await expect(cmd.getByText("touch build.txt", { exact: true })).toBeVisible();
    await cmd.getByRole("button", { name: "Always allow…" }).click();
    const sheet = page.getByRole("dialog", { name: "Always allow" });
    await sheet.getByLabel("Rule").fill("Bash(touch:*)");
    await sheet.getByRole("button", { name: "Always allow" }).click();
    await turnEnded(page);
    await expect(cmd.getByRole("status")).toHaveText(/^Always allowed by .+ \(Bash\(touch:\*\)\)$/);
    expect(fs.existsSync(path.join(projectDir, "build.txt"))).toBe(true);
    await send(page, "run `touch again.txt`");
    await turnEnded(page);
    await expect(lastReply(page)).toContainText("Ran touch again.txt.");
    expect(fs.existsSync(path.join(projectDir, "again.txt"))).toBe(true);
    // No card asked about it (counting all cards is not enough: a long transcript may unmount old ones).
    await expect(page.locator("section[data-approval]").filter({ hasText: "again.txt" })).toHaveCount(0);
    await expect(page.locator('section[data-approval][data-state="pending"]')).toHaveCount(0);
  });

  test("a view share sees the card but cannot answer (403); the dashboard floats the agent up", async ({
    pairedPage: owner,
    projectDir,
    browser,
  }) => {
    const idle = await trpcMutation<Agent>(owner.request, "agents.create", { name: `Idle neighbour ${Date.now()}`, folder: projectDir });
    const agent = await askingAgent(owner, projectDir, "Watched");
    const { token } = await trpcMutation<{ token: string }>(owner.request, "share.create", {
      scope: "agent",
      permission: "view",
      agentId: agent.id,
      expiresInSeconds: 3600,
      label: "Sam",
    });
    await send(owner, "write a file named watched.txt containing hi");
    await expect(card(owner, /wants to write/)).toBeVisible();

    const ctx = await browser.newContext({ baseURL: bridgeUrl(), viewport: owner.viewportSize()! });
    const viewer = await ctx.newPage();
    await viewer.goto(`${bridgeUrl()}/share#token=${token}`);
    await expect(viewer).toHaveURL(new RegExp(`/shared/agents/${agent.id}$`));
    const seen = card(viewer, /wants to write/);
    await expect(seen).toBeVisible();
    await expect(seen.getByText("Waiting for the owner to answer.")).toBeVisible();
    await expect(seen.getByRole("button", { name: "Allow once" })).toHaveCount(0);
    const approvalId = await seen.getAttribute("data-approval");
    const res = await viewer.request.post(`${bridgeUrl()}/api/trpc/approvals.answer`, {
      headers: { origin: bridgeUrl(), "content-type": "application/json" },
      data: { json: { approvalId, decision: "allow" } },
    });
    expect(res.status()).toBe(403);
    await ctx.close();

    // The dashboard says so and floats it above the idle agent made before it.
    await owner.goto("/");
    await expect(owner.getByRole("link", { name: agent.name })).toBeVisible();
    const names = await owner
      .getByRole("listitem")
      .getByRole("link", { name: /^(Watched|Idle neighbour) \d+$/ })
      .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
    expect(names).toContain(idle.name);
    expect(names.indexOf(agent.name)).toBeLessThan(names.indexOf(idle.name));
    await expect(owner.getByRole("listitem").filter({ has: owner.getByRole("link", { name: agent.name }) })).toContainText(
      "Waiting for you",
    );
    await owner.goto(`/agents/${agent.id}`);

    // Still the owner's to answer.
    await card(owner, /wants to write/)
      .getByRole("button", { name: "Allow once" })
      .click();
    await turnEnded(owner);
    expect(fs.existsSync(path.join(projectDir, "watched.txt"))).toBe(true);
  });

  test("unanswered: denied after the agent's timeout, and the turn goes on", async ({ pairedPage: page, projectDir }) => {
    // The shortest timeout a person can set (1 minute), through the same path as any other.
    test.setTimeout(150_000);
    await askingAgent(page, projectDir, "Slow to answer", { approvalTimeoutMin: 1 });
    await send(page, "write a file named late.txt containing hi");
    const c = card(page, /wants to write/);
    await expect(c).toBeVisible();
    await expect(c.getByRole("status")).toHaveText("Nobody answered in time, so it was denied.", { timeout: 100_000 });
    await turnEnded(page);
    await expect(lastReply(page)).toContainText("Could not write late.txt: permission denied");
    expect(fs.existsSync(path.join(projectDir, "late.txt"))).toBe(false);
    const pending = await trpcQuery<unknown[]>(page.request, "approvals.pending", {});
    expect(pending).toEqual([]);
  });

  test("an Auto Run task that asks: the run page says Waiting for you and leads to the card", async ({ pairedPage: page, projectDir }) => {
    const agent = await askingAgent(page, projectDir, "Runs and asks");
    const docFile = path.join(projectDir, ".maestro", "playbooks", "plan.md");
    fs.mkdirSync(path.dirname(docFile), { recursive: true });
    fs.writeFileSync(docFile, "# Plan\n\n- [ ] write a file named todo.txt containing buy milk\n");
    const run = await trpcMutation<{ id: string }>(page.request, "autorun.start", {
      agentId: agent.id,
      config: { documents: [{ filename: "plan.md" }] },
      name: `Asking run ${Date.now() % 100000}`,
    });
    await page.goto(`/autorun/runs/${run.id}`);
    await expect(page.getByTestId("run-status")).toHaveText("Waiting for you");
    const note = page.getByTestId("run-approval");
    await expect(note).toContainText("Waiting for you:");
    await note.getByRole("link", { name: "Answer" }).click();
    await expect(page).toHaveURL(new RegExp(`/agents/${agent.id}\\?tab=`));
    // The task ticks its box and writes its file: two requests, answered in order.
    const pendingCards = page.locator('section[data-approval][data-state="pending"]');
    const allowed = page.locator('section[data-approval][data-state="allowed"]');
    await pendingCards.first().getByRole("button", { name: "Allow once" }).click();
    await expect(allowed).toHaveCount(1);
    await pendingCards.first().getByRole("button", { name: "Allow once" }).click();
    await expect(allowed).toHaveCount(2);
    await page.goto(`/autorun/runs/${run.id}`);
    await expect(page.getByTestId("run-status")).toHaveText("Done", { timeout: 30_000 });
    expect(fs.readFileSync(path.join(projectDir, "todo.txt"), "utf8")).toBe("buy milk\n");
  });
});
