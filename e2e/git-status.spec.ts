import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

const env = { ...process.env, GIT_AUTHOR_NAME: "e", GIT_AUTHOR_EMAIL: "e@e", GIT_COMMITTER_NAME: "e", GIT_COMMITTER_EMAIL: "e@e" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, stdio: "ignore" });

test("an agent on a git repository shows its branch, and a changed file appears without a reload", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  git(projectDir, "init", "-q", "-b", "feature/checkout-redesign-with-a-long-name");
  fs.writeFileSync(path.join(projectDir, "README.md"), "# demo\n");
  git(projectDir, "add", ".");
  git(projectDir, "commit", "-qm", "first");
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-e2e-plain-"));
  try {
    const stamp = `${testInfo.project.name} ${Date.now()}`;
    const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Git ${stamp}`, folder: projectDir });
    await trpcMutation(page.request, "agents.create", { name: `Plain ${stamp}`, folder: plain });

    await page.goto(`/agents/${agent.id}`);
    const header = page.locator("header").filter({ has: page.getByRole("heading", { name: `Git ${stamp}` }) });
    const chip = header.getByTitle(/^On branch feature\/checkout-redesign-with-a-long-name/);
    await expect(chip).toHaveAttribute("title", /no changes$/);

    // Another tool writes a file in the folder: the header follows.
    fs.writeFileSync(path.join(projectDir, "notes.txt"), "x\n");
    await expect(chip).toHaveAttribute("title", /1 changed file$/);
    await expect(chip.getByText(/^1\u00a0changed$/)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("header.png") });

    await page.goto("/");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: `Git ${stamp}` }) });
    await expect(card.getByText(/^1\u00a0changed$/)).toBeVisible();
    const plainCard = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: `Plain ${stamp}` }) });
    await expect(plainCard).toBeVisible();
    await expect(plainCard.getByTitle(/^On branch|^Detached/)).toHaveCount(0);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("dashboard.png") });
  } finally {
    fs.rmSync(plain, { recursive: true, force: true });
  }
});
