import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

test("New worktree agent: a hostile name is refused as typed, a good one makes a child nested under its parent", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const repo = path.join(fs.realpathSync(projectDir), "app");
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init");
  const name = `Repo ${testInfo.project.name} ${Date.now()}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name, folder: repo });

  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "New worktree agent" }).click();
  const dialog = page.getByRole("dialog", { name: "New worktree agent" });
  const branch = dialog.getByLabel("Branch name");
  await branch.fill("--upload-pack=x");
  await expect(dialog.getByText("A branch name cannot start with “-”.")).toBeVisible();
  await branch.fill("a..b");
  await expect(dialog.getByText("A branch name cannot contain “..”.")).toBeVisible();
  await branch.fill("feature/login");
  await expect(dialog.getByLabel("Base branch")).toHaveValue("main");
  await expect(dialog.getByTestId("worktree-location")).toHaveText(path.join(projectDir, "app-worktrees", "feature-login"));
  await page.screenshot({ path: testInfo.outputPath("worktree-dialog.png") });
  await dialog.getByRole("button", { name: "Create" }).click();

  await expect(page.getByRole("heading", { name: `${name} · feature/login` })).toBeVisible();
  expect(page.url()).not.toContain(agent.id);
  expect(git("worktree", "list").toString()).toContain(path.join(projectDir, "app-worktrees", "feature-login"));

  await page.goto("/");
  const parentCard = page.getByRole("link", { name, exact: true });
  const childCard = page.getByRole("link", { name: `${name} · feature/login` });
  await expect(childCard).toBeVisible();
  await expect(childCard).toContainText("feature/login");
  const [p, c] = [await parentCard.boundingBox(), await childCard.boundingBox()];
  expect(c!.y).toBeGreaterThan(p!.y);
  expect(c!.x).toBeGreaterThan(p!.x);
  await page.screenshot({ path: testInfo.outputPath("worktree-dashboard.png"), fullPage: true });
});

test("the setup script's output shows in the dialog, a failure too; a worktree made by hand is adopted", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const repo = path.join(fs.realpathSync(projectDir), "svc");
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init");
  fs.writeFileSync(path.join(repo, "setup.sh"), 'echo "installing in $MAESTRO_WORKTREE_BRANCH"\necho "no network" >&2\nexit 2\n');
  const byHand = path.join(fs.realpathSync(projectDir), "by-hand");
  git("worktree", "add", "-q", "-b", "hand", "--", byHand, "main");
  const name = `Svc ${testInfo.project.name} ${Date.now()}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name, folder: repo });
  await trpcMutation(page.request, "agents.updateSettings", { id: agent.id, settings: { worktreeSetup: "setup.sh" } });

  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "New worktree agent" }).click();
  let dialog = page.getByRole("dialog", { name: "New worktree agent" });
  await expect(dialog.getByText("Then runs setup.sh there.")).toBeVisible();
  await expect(dialog.getByRole("region", { name: "Adopt existing worktree" })).toContainText(byHand);
  await dialog.getByLabel("Branch name").fill("topic");
  await dialog.getByRole("button", { name: "Create" }).click();
  dialog = page.getByRole("dialog", { name: `Setting up ${name} · topic` });
  await expect(dialog.getByRole("status")).toHaveText("Setup failed.");
  await expect(dialog.getByTestId("worktree-setup-output")).toHaveText("installing in topic\nno network\n");
  await expect(dialog.getByText("The setup script setup.sh failed with exit status 2.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("worktree-setup.png") });
  await dialog.getByRole("button", { name: "Close" }).last().click();

  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "New worktree agent" }).click();
  dialog = page.getByRole("dialog", { name: "New worktree agent" });
  await dialog.getByRole("region", { name: "Adopt existing worktree" }).getByRole("button", { name: "Adopt" }).click();
  await expect(dialog).toBeHidden();
  await page.goto("/");
  await expect(page.getByRole("link", { name: `${name} · hand` })).toContainText("hand");
  await expect(page.getByRole("list", { name: `${name} and its worktree agents` }).getByRole("link")).toHaveCount(3);
});
