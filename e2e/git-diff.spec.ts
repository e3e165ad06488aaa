import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Grace",
  GIT_AUTHOR_EMAIL: "grace@example.com",
  GIT_COMMITTER_NAME: "Grace",
  GIT_COMMITTER_EMAIL: "grace@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });

test("Changes: unstaged and staged files with counts, a file's diff with Wrap, the log and a commit's diff", async ({
  pairedPage: page,
  projectDir,
}) => {
  test.setTimeout(60_000);
  git(projectDir, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(projectDir, "app.ts"), "const a = 1;\nconst b = 2;\n");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "-q", "-m", "Add the app");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Diff ${Date.now()}`, folder: projectDir });

  // The test changes the tree as an agent would: an edit, a new file, a staged file.
  const long = `const long = "${"x".repeat(400)}END";\n`;
  fs.writeFileSync(path.join(projectDir, "app.ts"), `const a = 1;\nconst b = 3;\n${long}`);
  fs.writeFileSync(path.join(projectDir, "notes é.md"), "one\ntwo\n");
  fs.writeFileSync(path.join(projectDir, "staged.txt"), "s\n");
  git(projectDir, "add", "staged.txt");

  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Changes", exact: true }).click();
  const files = page.getByRole("list", { name: "Changed files" });
  await expect(files.getByRole("button", { name: /app\.ts/ })).toContainText("+2");
  await expect(files.getByRole("button", { name: /app\.ts/ })).toContainText("−1");
  await expect(files.getByRole("button", { name: /notes é\.md/ })).toContainText("+2");
  await expect(files.getByRole("button", { name: /staged\.txt/ })).toHaveCount(0);

  await files.getByRole("button", { name: /app\.ts/ }).click();
  const diff = page.getByTestId("diff-lines");
  await expect(diff.locator('[data-kind="del"]')).toHaveText(["const b = 2;"]);
  await expect(diff.locator('[data-kind="add"]').first()).toHaveText("const b = 3;");
  // The gutter: old line 2 deleted; new line 2 added.
  await expect(diff.locator('[data-kind="del"]')).toHaveAttribute("data-g", /^ {4}2 {7}- $/);
  await expect(diff.locator('[data-kind="add"]').first()).toHaveAttribute("data-g", /^ {10}2 \+ $/);
  // Long lines scroll sideways by default; Wrap keeps them inside the screen.
  const scroller = page.getByTestId("diff-scroll");
  const wide = await scroller.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(wide).toBe(true);
  await page.getByRole("button", { name: "Wrap" }).click();
  await expect.poll(() => scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath("diff.png") });
  await page.getByRole("button", { name: "Back to the files" }).click();

  await page.getByRole("button", { name: "Staged", exact: true }).click();
  await expect(files.getByRole("button")).toHaveCount(1);
  await expect(files.getByRole("button", { name: /staged\.txt/ })).toContainText("+1");

  await page.getByRole("button", { name: "Log", exact: true }).click();
  const commits = page.getByRole("list", { name: "Commits" });
  await expect(commits.getByRole("button")).toHaveCount(1);
  await expect(commits.getByRole("button").first()).toContainText("Add the app");
  await expect(commits.getByRole("button").first()).toContainText("Grace");
  await page.screenshot({ path: test.info().outputPath("log.png") });
  await commits.getByRole("button").first().click();
  await files.getByRole("button", { name: /app\.ts/ }).click();
  await expect(diff.locator('[data-kind="add"]')).toHaveText(["const a = 1;", "const b = 2;"]);
});

test("Changes on a folder that is not a repository says so", async ({ pairedPage: page, projectDir }) => {
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Plain ${Date.now()}`, folder: projectDir });
  await page.goto(`/agents/${agent.id}?view=changes`);
  await expect(page.getByText(/is not in a git repository/)).toBeVisible();
});
