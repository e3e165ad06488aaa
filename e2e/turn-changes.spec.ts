import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "G", GIT_AUTHOR_EMAIL: "g@e.x", GIT_COMMITTER_NAME: "G", GIT_COMMITTER_EMAIL: "g@e.x" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: { ...GIT_ENV, GIT_CONFIG_GLOBAL: "/dev/null" } });

test("a turn's footer says how many files it changed and opens their diff", async ({ pairedPage: page, projectDir }) => {
  test.setTimeout(60_000);
  git(projectDir, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(projectDir, "README.md"), "hello\n");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "-q", "-m", "first");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Turn diff ${Date.now()}`, folder: projectDir });
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("textbox", { name: "Message" }).fill("Write a file named notes.txt containing make a plan");
  await page.getByRole("button", { name: "Send" }).click();
  const link = page.getByRole("button", { name: "1 file changed" });
  await expect(link).toBeVisible({ timeout: 20_000 });
  const box = (await link.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.screenshot({ path: test.info().outputPath("footer.png") });
  await link.click();
  const sheet = page.getByRole("dialog", { name: "What this turn changed" });
  const files = sheet.getByRole("list", { name: "Changed files" });
  await expect(files.getByRole("button", { name: /notes\.txt/ })).toContainText("+1");
  await page.screenshot({ path: test.info().outputPath("files.png") });
  await files.getByRole("button", { name: /notes\.txt/ }).click();
  await expect(sheet.getByTestId("diff-lines").locator('[data-kind="add"]')).toContainText(["make a plan"]);
  await page.screenshot({ path: test.info().outputPath("diff.png") });
});

test("each task in an Auto Run's task log links to what its turn changed", async ({ pairedPage: page, projectDir }) => {
  test.setTimeout(90_000);
  git(projectDir, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(projectDir, "README.md"), "hello\n");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "-q", "-m", "first");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Run diff ${Date.now()}`, folder: projectDir });
  const docFile = path.join(projectDir, ".maestro", "playbooks", "plan.md");
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  fs.writeFileSync(docFile, "# Plan\n\n- [ ] write a file named todo.txt containing buy milk\n");
  const run = await trpcMutation<{ id: string }>(page.request, "autorun.start", {
    agentId: agent.id,
    config: { documents: [{ filename: "plan.md" }] },
    name: `Diff run ${Date.now() % 100000}`,
  });
  await page.goto(`/autorun/runs/${run.id}`);
  const log = page.getByTestId("task-log");
  await expect(log.getByRole("listitem")).toHaveCount(1, { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath("run-log.png") });
  await log.getByRole("button", { name: "Changes" }).click();
  const sheet = page.getByRole("dialog", { name: "What this turn changed" });
  await expect(sheet.getByRole("list", { name: "Changed files" }).getByRole("button", { name: /todo\.txt/ })).toContainText("+1");
  await page.screenshot({ path: test.info().outputPath("run-changes.png") });
});
