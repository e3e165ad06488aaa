import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/** A real repository `<project>/<name>` with one commit on main, and an agent on it. */
async function repoWithAgent(request: Parameters<typeof trpcMutation>[0], projectDir: string, name: string, agentName: string) {
  const repo = path.join(fs.realpathSync(projectDir), name);
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" }).toString();
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init");
  const agent = await trpcMutation<{ id: string }>(request, "agents.create", { name: agentName, folder: repo });
  return { repo, git, agent };
}

test("Remove worktree: the dialog warns about an uncommitted file, Remove anyway takes the folder, the branch and the agent", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const name = `Rm ${testInfo.project.name} ${Date.now()}`;
  const { repo, git, agent } = await repoWithAgent(page.request, projectDir, "app", name);
  const { agent: child } = await trpcMutation<{ agent: { id: string; folder: string; name: string } }>(page.request, "worktrees.create", {
    parentId: agent.id,
    branch: "feature/rm",
  });
  fs.writeFileSync(path.join(child.folder, "wip.txt"), "not committed\n");

  await page.goto(`/agents/${child.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Remove worktree" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove worktree?" });
  await expect(dialog.getByRole("alert")).toContainText("1 uncommitted file will be lost.");
  await expect(dialog.getByRole("alert")).toContainText("wip.txt");
  await expect(dialog.getByText("is merged into main.")).toBeVisible();
  await expect(dialog.getByRole("checkbox", { name: "Also delete branch feature/rm" })).toBeChecked();
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  // Work would be lost: a second, explicit press.
  const anyway = dialog.getByRole("button", { name: "Remove anyway" });
  await expect(anyway).toBeVisible();
  expect(fs.existsSync(child.folder)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("remove-worktree.png") });
  await anyway.click();

  await expect(page).toHaveURL(/\/$/);
  expect(fs.existsSync(child.folder)).toBe(false);
  expect(git("branch", "--list", "feature/rm").trim()).toBe("");
  expect(git("worktree", "list", "--porcelain")).not.toContain(child.folder);
  const agents = await trpcQuery<{ id: string }[]>(page.request, "agents.list", undefined);
  expect(agents.map((a) => a.id)).not.toContain(child.id);
  expect(fs.existsSync(repo)).toBe(true);
});

test("Delete agent on a worktree agent can take its worktree folder and branch too", async ({ pairedPage: page, projectDir }, testInfo) => {
  const name = `Del ${testInfo.project.name} ${Date.now()}`;
  const { git, agent } = await repoWithAgent(page.request, projectDir, "lib", name);
  const { agent: child } = await trpcMutation<{ agent: { id: string; folder: string; name: string } }>(page.request, "worktrees.create", {
    parentId: agent.id,
    branch: "tidy",
  });
  // The parent's own Delete says its worktree agent stays (the schema un-nests it), and offers no worktree removal.
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Delete agent" }).click();
  const parentDialog = page.getByRole("dialog", { name: `Delete ${name}?` });
  await expect(parentDialog).toContainText(`Its worktree agent ${child.name} stays (no longer nested), with its folder.`);
  await expect(parentDialog.getByRole("checkbox")).toHaveCount(0);
  await parentDialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto(`/agents/${child.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Delete agent" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${child.name}?` });
  await dialog.getByRole("checkbox", { name: "Also remove the worktree folder and branch" }).check();
  await expect(dialog.getByText("Nothing uncommitted or unpushed: nothing is lost.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("delete-with-worktree.png") });
  await dialog.getByRole("button", { name: "Delete with worktree" }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(fs.existsSync(child.folder)).toBe(false);
  expect(git("branch", "--list", "tidy").trim()).toBe("");
});

test("the cleanup screen lists stale worktrees with their reasons; Prune forgets a deleted folder, Remove selected removes one", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const name = `Clean ${testInfo.project.name} ${Date.now()}`;
  const { repo, git } = await repoWithAgent(page.request, projectDir, "svc", name);
  const root = path.dirname(repo);
  const done = path.join(root, "done-tree");
  git("worktree", "add", "-q", "-b", "done-work", "--", done, "main");
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "finished"], { cwd: done });
  git("merge", "-q", "--ff-only", "done-work");
  const vanished = path.join(root, "vanished-tree");
  git("worktree", "add", "-q", "-b", "vanished", "--", vanished, "main");
  fs.rmSync(vanished, { recursive: true, force: true });

  await page.goto("/settings");
  await page.getByRole("link", { name: "Worktrees cleanup" }).click();
  await expect(page.getByRole("heading", { name: "Worktrees cleanup", level: 1 })).toBeVisible();
  const section = page.getByRole("region", { name: `Stale worktrees of ${repo}` });
  await expect(section.getByRole("listitem")).toHaveCount(2);
  const doneRow = section.getByRole("listitem").filter({ hasText: "done-work" });
  await expect(doneRow).toContainText("Branch merged into the main branch");
  await expect(doneRow).toContainText("no agent");
  await expect(section.getByRole("listitem").filter({ hasText: "vanished" })).toContainText("Folder missing");
  await page.screenshot({ path: testInfo.outputPath("worktree-cleanup.png"), fullPage: true });

  await page.getByRole("button", { name: /^Prune dangling entries/ }).click();
  await expect(section.getByRole("listitem")).toHaveCount(1);
  expect(git("worktree", "list", "--porcelain")).not.toContain(vanished);

  await section.getByRole("checkbox", { name: "Select done-work" }).check();
  await page.getByRole("button", { name: "Remove selected (1)" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove 1 worktree?" });
  await confirm.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(section).toBeHidden();
  expect(fs.existsSync(done)).toBe(false);
  expect(git("branch", "--list", "done-work").trim()).toBe("");
  await page.screenshot({ path: testInfo.outputPath("worktree-cleanup-after.png"), fullPage: true });
});

test("a detached worktree's commits on no branch show on the cleanup screen and need Remove anyway", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const name = `Detached ${testInfo.project.name} ${Date.now()}`;
  const { repo, git } = await repoWithAgent(page.request, projectDir, "det", name);
  const loose = path.join(path.dirname(repo), "loose-tree");
  git("worktree", "add", "-q", "--detach", "--", loose, "main");
  const longAgo = "2020-01-01T00:00:00Z";
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "only here"], {
    cwd: loose,
    env: { ...process.env, GIT_AUTHOR_DATE: longAgo, GIT_COMMITTER_DATE: longAgo },
  });
  fs.utimesSync(loose, new Date(longAgo), new Date(longAgo));

  await page.goto("/settings/worktrees");
  const section = page.getByRole("region", { name: `Stale worktrees of ${repo}` });
  const row = section.getByRole("listitem").filter({ hasText: "(detached)" });
  await expect(row).toContainText("Not touched for a while");
  await expect(row).toContainText("1 commit on no branch (detached HEAD)");
  await section.getByRole("checkbox", { name: `Select ${loose}` }).check();
  await page.getByRole("button", { name: "Remove selected (1)" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove 1 worktree?" });
  await expect(confirm.getByRole("alert")).toContainText(`${loose}: 1 commit on no branch (detached HEAD) will be lost.`);
  await page.screenshot({ path: testInfo.outputPath("worktree-cleanup-detached.png"), fullPage: true });
  await confirm.getByRole("button", { name: "Remove anyway" }).click();
  await expect(confirm).toBeHidden();
  await expect(section).toBeHidden();
  expect(fs.existsSync(loose)).toBe(false);
});
