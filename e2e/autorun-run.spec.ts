import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

const PLAN = `# Release

- [ ] write notes.txt
- [ ] second task
  - [ ] nested one
  - [ ] nested two
- [ ] last task
`;

const ticked = (file: string) => (fs.readFileSync(file, "utf8").match(/^\s*- \[x\]/gm) ?? []).length;

test("owner writes a checklist, saves it as a playbook, runs it in two taps, pauses and resumes it, and watches every task tick", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(120_000);
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Runner ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  // Slow enough to see each step on screen.
  await trpcMutation(page.request, "agents.updateSettings", {
    id: agent.id,
    settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "250" } },
  });
  const docFile = path.join(projectDir, ".maestro", "playbooks", "plan.md");

  // Write the checklist in the app.
  await page.goto(`/autorun?agent=${agent.id}`);
  await page.getByRole("button", { name: "New document" }).click();
  const newDoc = page.getByRole("dialog", { name: "New document" });
  await newDoc.getByLabel("Name").fill("plan");
  await newDoc.getByRole("button", { name: "Create" }).click();
  await expect(newDoc).toBeHidden();
  const editor = page.getByRole("region", { name: "Document plan" });
  await editor.getByRole("button", { name: "Edit" }).click();
  await editor.getByRole("textbox", { name: "Document text" }).fill(PLAN);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText("Unsaved", { exact: true })).toBeHidden();
  await expect.poll(() => fs.readFileSync(docFile, "utf8")).toBe(PLAN);
  const name = `Release ${testInfo.project.name} ${Date.now() % 100000}`;

  // Save it as a playbook.
  await page.goto("/autorun");
  await page.getByRole("button", { name: "New playbook" }).click();
  const dialog = page.getByRole("dialog", { name: "New playbook" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Agent", { exact: true }).selectOption(agent.id);
  await dialog.getByRole("combobox", { name: "Document 1 file" }).fill("plan.md");
  await dialog.getByRole("button", { name: "Save playbook" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("listitem", { name: `Playbook ${name}` })).toBeVisible();

  // Two taps from anywhere: Auto Run, then Run.
  await page.goto("/");
  await page.getByRole("link", { name: "Auto Run" }).first().click();
  await page.getByRole("button", { name: `Run ${name}` }).click();
  await expect(page).toHaveURL(/\/autorun\/runs\/[^/]+$/);
  const runId = page.url().split("/").pop()!;

  const progress = page.getByRole("region", { name: "Run progress" });
  await expect(progress.getByTestId("run-status")).toHaveText(/Running|Done/);
  await expect(progress.getByTestId("run-document")).toContainText("Document 1 of 1");
  await expect(progress.getByTestId("run-document")).toContainText("plan.md");
  const bar = progress.getByRole("progressbar", { name: "Tasks done" });
  await expect(bar).toHaveAttribute("aria-valuemax", "5");

  // Every step shows, and matches the file on disk at that moment.
  const doneCount = progress.getByTestId("run-done-count");
  for (let k = 1; k <= 5; k++) {
    await expect(doneCount).toHaveText(`${k} of 5 tasks done`, { timeout: 20_000 });
    expect(ticked(docFile)).toBeGreaterThanOrEqual(k);
    if (k < 5) {
      await expect(bar).toHaveAttribute("aria-valuenow", String(k));
    }
    if (k === 2) {
      // Pause: the task in flight finishes, then nothing runs until Resume.
      await progress.getByRole("button", { name: "Pause" }).click();
      await expect(progress.getByTestId("run-status")).toHaveText("Paused", { timeout: 20_000 });
      await expect(progress.getByRole("button", { name: "Pause" })).toHaveCount(0);
      const held = Number((await doneCount.textContent())!.split(" ")[0]);
      expect(held === 2 || held === 3).toBe(true);
      expect(ticked(docFile)).toBe(held);
      await page.waitForTimeout(1500);
      expect(ticked(docFile)).toBe(held);
      await expect(doneCount).toHaveText(`${held} of 5 tasks done`);
      await progress.getByRole("button", { name: "Resume" }).click();
      await expect(progress.getByTestId("run-status")).toHaveText(/Running|Done/);
      k = held;
    }
  }
  // The current task's stream shows the simulator's reply live.
  await expect(
    page
      .getByRole("region", { name: /Current task, live|Last tasks/ })
      .getByText(/Ticked task/)
      .first(),
  ).toBeVisible();

  await expect(progress.getByTestId("run-status")).toHaveText("Done", { timeout: 20_000 });
  await expect(progress.getByTestId("run-task")).toHaveText("Task 5 of 5");
  await expect(bar).toHaveAttribute("aria-valuenow", "5");
  await expect(progress.getByTestId("run-tokens")).not.toHaveText("0");
  await expect(progress.getByRole("button", { name: "Pause" })).toHaveCount(0);

  // Every box ticked on disk, the file otherwise unchanged; notes.txt written by the first task.
  expect(fs.readFileSync(docFile, "utf8")).toBe(PLAN.replaceAll("[ ]", "[x]"));
  expect(fs.existsSync(path.join(projectDir, "notes.txt"))).toBe(true);

  // Five History entries with summaries, shown in the task log too.
  const history = await trpcQuery<{ kind: string; success: boolean; summary: string }[]>(page.request, "autorun.history", { runId });
  const tasks = history.filter((h) => h.kind === "autorun-task");
  expect(tasks).toHaveLength(5);
  for (const t of tasks) {
    expect(t.success).toBe(true);
    expect(t.summary).toMatch(/^Ticked task '.+' in .*plan\.md\./);
  }
  await expect(page.getByTestId("task-log").getByRole("listitem")).toHaveCount(5);
});
