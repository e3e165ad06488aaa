import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/**
 * The spec-driven loop, as a new user meets it: ask for a plan, save the reply's checklist as an
 * Auto Run document, run it (no playbook), find a task in History, open its document beside the
 * summary, untick a task and Run again. Then the same from `/spec <goal>`. The default simulator
 * answers plan requests with a four-task checklist and writes the `/spec` document itself.
 */

const ticked = (text: string) => (text.match(/^\s*- \[x\]/gm) ?? []).length;
const open = (text: string) => (text.match(/^\s*- \[ \]/gm) ?? []).length;

async function waitForRunDone(page: Page) {
  await expect(page).toHaveURL(/\/autorun\/runs\/[^/?]+$/);
  const progress = page.getByRole("region", { name: "Run progress" });
  await expect(progress.getByTestId("run-status")).toHaveText("Done", { timeout: 40_000 });
  return page.url().split("/").pop()!;
}

test("owner asks for a plan, saves it as an Auto Run document, runs it without a playbook, and refines it from History", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(150_000);
  const agentName = `Loop ${testInfo.project.name} ${Date.now()}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: agentName, folder: projectDir });
  const folder = path.join(projectDir, ".maestro", "playbooks");
  const docFile = path.join(folder, "site-plan.md");
  // A document of that name already exists: saving must ask before replacing it.
  await trpcMutation(page.request, "documents.create", { agentId: agent.id, path: "site-plan.md", content: "# Old\n\n- [ ] keep me\n" });

  // Ask for a plan: the reply holds a four-task checklist.
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("textbox", { name: "Message" }).fill("plan: four steps to set up a tiny static site");
  await page.getByRole("button", { name: "Send" }).click();
  const save = page.getByRole("button", { name: /^Save as Auto Run document · 4 tasks$/ });
  await expect(save).toBeVisible({ timeout: 20_000 });

  // Save as Auto Run document: the tasks found, a name, and no overwrite without asking.
  await save.click();
  const dialog = page.getByRole("dialog", { name: "Save as Auto Run document" });
  await expect(dialog.getByTestId("found-count")).toHaveText("4 tasks found");
  const found = dialog.getByRole("checkbox");
  await expect(found).toHaveCount(4);
  const taskTexts = (await found.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""))).filter(Boolean);
  expect(taskTexts).toHaveLength(4);
  await page.screenshot({ path: testInfo.outputPath("save-dialog.png") });
  await dialog.getByLabel("Document").fill("../outside");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog.getByText(/Names cannot use “\.\.”/)).toBeVisible();
  await dialog.getByLabel("Document").fill("site-plan");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dialog.getByText("“site-plan.md” already exists.")).toBeVisible();
  expect(fs.readFileSync(docFile, "utf8")).toBe("# Old\n\n- [ ] keep me\n");
  await dialog.getByRole("button", { name: "Replace" }).click();
  await expect(dialog.getByRole("status")).toContainText("Replaced site-plan.md");
  const saved = fs.readFileSync(docFile, "utf8");
  expect(open(saved)).toBe(4);
  for (const t of taskTexts) expect(saved).toContain(`- [ ] ${t}`);
  await expect(dialog.getByRole("link", { name: "Open site-plan" })).toBeVisible();

  // Run now: no playbook; the run's page shows it through to the end, every box ticked on disk.
  await dialog.getByRole("button", { name: "Run now" }).click();
  const runId = await waitForRunDone(page);
  await expect(page.getByRole("region", { name: "Run progress" }).getByTestId("run-done-count")).toHaveText("4 of 4 tasks done");
  expect(ticked(fs.readFileSync(docFile, "utf8"))).toBe(4);
  expect(await trpcQuery<unknown[]>(page.request, "playbooks.list", { agentId: agent.id })).toEqual([]);
  await expect(page.getByTestId("task-log").getByRole("listitem")).toHaveCount(4);

  // History: a task of that run opens its document with the task's summary beside it.
  await page.goto("/history");
  const entry = page.getByRole("button", { name: new RegExp(`${agentName}.*Auto Run task`) }).last();
  await expect(entry).toBeVisible();
  await entry.click();
  const openDoc = page.getByRole("link", { name: "Open document" }).filter({ visible: true });
  await openDoc.click();
  await expect(page).toHaveURL(new RegExp(`/autorun\\?agent=${agent.id}&doc=site-plan\\.md&entry=`));
  const editor = page.getByRole("region", { name: "Document site-plan" });
  await expect(editor).toBeVisible();
  const summary = page.getByTestId("task-summary").filter({ visible: true });
  await expect(summary).toHaveText(/\S/);
  const summaryBox = (await summary.boundingBox())!;
  const editorBox = (await editor.boundingBox())!;
  if (testInfo.project.name === "phone") expect(summaryBox.y + summaryBox.height).toBeLessThanOrEqual(editorBox.y);
  else expect(summaryBox.x + summaryBox.width).toBeLessThanOrEqual(editorBox.x);
  await page.screenshot({ path: testInfo.outputPath("refine.png"), fullPage: true });

  // Refine: untick the second task, Run again: only that task runs.
  await editor.getByRole("checkbox", { name: taskTexts[1]! }).uncheck();
  await expect.poll(() => ticked(fs.readFileSync(docFile, "utf8"))).toBe(3);
  await editor.getByRole("button", { name: "Run again site-plan" }).click();
  const againId = await waitForRunDone(page);
  expect(againId).not.toBe(runId);
  await expect(page.getByTestId("task-log").getByRole("listitem")).toHaveCount(1);
  const again = await trpcQuery<{ kind: string; detail: string }[]>(page.request, "autorun.history", { runId: againId });
  expect(again.filter((e) => e.kind === "autorun-task").map((e) => e.detail)).toEqual([taskTexts[1]]);
  expect(ticked(fs.readFileSync(docFile, "utf8"))).toBe(4);
});

test("owner plans with /spec: the agent writes the checklist into the Auto Run folder, and the conversation offers Run and Open", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(120_000);
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Spec ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  const file = path.join(fs.realpathSync(projectDir), ".maestro", "playbooks", "tiny-static-site.md");

  await page.goto(`/agents/${agent.id}`);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill("/spec");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(/Say what to plan after \/spec/)).toBeVisible();
  await box.fill("/spec tiny static site");
  await page.getByRole("button", { name: "Send" }).click();
  // The sent prompt (a <p>) names the file; the simulator's reply may quote it too, so look only at the prompt.
  await expect(page.getByRole("paragraph").filter({ hasText: `Save it as ${file} using GitHub task-list syntax` })).toBeVisible();

  const offer = page.getByRole("group", { name: "Checklist tiny-static-site" });
  await expect(offer).toBeVisible({ timeout: 20_000 });
  const tasks = open(fs.readFileSync(file, "utf8"));
  expect(tasks).toBeGreaterThan(0);
  await expect(offer).toContainText(`${tasks} task`);
  await page.screenshot({ path: testInfo.outputPath("spec-offer.png") });

  await offer.getByRole("button", { name: "Run tiny-static-site" }).click();
  await waitForRunDone(page);
  expect(ticked(fs.readFileSync(file, "utf8"))).toBe(tasks);
});
