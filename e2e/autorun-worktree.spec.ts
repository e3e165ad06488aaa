import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

const PLAN = `# Release

- [ ] write one.txt
- [ ] write two.txt
- [ ] write three.txt
`;

test("owner runs a checklist in a new worktree from the Run sheet, with Open a pull request, and follows the link from the run page and History", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(120_000);
  // The test-only gh stand-in on the bridge's PATH (e2e/global-setup.ts), logged in for this test.
  const fakeGh = path.join(process.env.MAESTRO_E2E_HOME!, "fake-gh");
  fs.writeFileSync(path.join(fakeGh, "authenticated"), "");
  try {
    await runInWorktree(page, projectDir, testInfo, fakeGh);
  } finally {
    fs.rmSync(path.join(fakeGh, "authenticated"), { force: true });
  }
});

async function runInWorktree(page: Page, projectDir: string, testInfo: TestInfo, fakeGh: string) {
  // A repository whose origin reads as GitHub while every push goes to a local bare repository.
  const root = fs.realpathSync(projectDir);
  const repo = path.join(root, "app");
  const bare = path.join(root, "origin.git");
  fs.mkdirSync(repo);
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "pipe" }).toString();
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.name", "E2E");
  git(repo, "config", "user.email", "e2e@example.com");
  fs.writeFileSync(path.join(repo, "README.md"), "app\n");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "init");
  git(repo, "remote", "add", "origin", "https://github.com/acme/app.git");
  git(repo, "config", `url.${bare}.insteadOf`, "https://github.com/acme/app.git");
  git(repo, "push", "-q", "origin", "main");
  const docFile = path.join(repo, ".maestro", "playbooks", "release.md");
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  fs.writeFileSync(docFile, PLAN);
  const name = `Wt ${testInfo.project.name} ${Date.now() % 100000}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name, folder: repo });

  // The Run sheet: Run in a new worktree, a branch template, Open a pull request.
  await page.goto(`/autorun?agent=${agent.id}`);
  await page.getByRole("button", { name: "Run options for release" }).click();
  const sheet = page.getByRole("dialog", { name: "Run release" });
  await sheet.getByRole("checkbox", { name: "Run in a new worktree" }).check();
  const template = sheet.getByLabel("Branch name");
  await template.fill("--upload-pack=x");
  await expect(sheet.getByText(/cannot start with “-”/)).toBeVisible();
  await template.fill("autorun/{{PLAYBOOK}}-{{AGENT_NAME}}");
  const branch = `autorun/release-${name.toLowerCase().replaceAll(" ", "-")}`;
  await expect(sheet.getByText(branch, { exact: true })).toBeVisible();
  await sheet.getByRole("checkbox", { name: "Open a pull request when done" }).check();
  await expect(sheet.getByLabel("Target branch")).toHaveAttribute("placeholder", "main");
  await page.screenshot({ path: testInfo.outputPath("run-sheet-worktree.png"), fullPage: true });
  await sheet.getByRole("button", { name: "Run", exact: true }).click();

  // The run page: done, the branch, and the pull request gh opened.
  await expect(page).toHaveURL(/\/autorun\/runs\/[^/?]+$/);
  const runUrl = page.url();
  const progress = page.getByRole("region", { name: "Run progress" });
  await expect(progress.getByTestId("run-status")).toHaveText("Done", { timeout: 60_000 });
  const handover = page.getByRole("region", { name: "Branch and pull request" });
  await expect(handover.getByRole("link", { name: branch })).toBeVisible();
  const opened = fs
    .readFileSync(path.join(fakeGh, "log.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { head: string; base: string; title: string; body: string; url: string })
    .filter((pr) => pr.head === branch);
  expect(opened).toHaveLength(1);
  const pr = opened[0]!;
  expect(pr).toMatchObject({ base: "main", title: "Auto Run: release.md" });
  expect(pr.body).toContain("- [x] write one.txt\n- [x] write two.txt\n- [x] write three.txt");
  expect(pr.url).toMatch(/^https:\/\/github\.com\/acme\/app\/pull\/\d+$/);
  await expect(handover.getByRole("link", { name: "Open pull request" })).toHaveAttribute("href", pr.url);
  await expect(handover.getByRole("status")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("run-page-worktree.png"), fullPage: true });

  // Three commits, one per ticked task, pushed to origin; the agent's own document and folder untouched.
  expect(git(bare, "log", "--format=%s", `main..${branch}`).trim().split("\n")).toEqual([
    "Auto Run: write three.txt",
    "Auto Run: write two.txt",
    "Auto Run: write one.txt",
  ]);
  expect(fs.readFileSync(docFile, "utf8")).toBe(PLAN);
  expect(fs.existsSync(path.join(repo, "one.txt"))).toBe(false);

  // History: the run's entry links to the same page.
  await page.goto("/history");
  await page
    .getByRole("button", { name: new RegExp(`${name}.*Auto Run run`) })
    .first()
    .click();
  const detail = page.getByRole("link", { name: "Open pull request" }).filter({ visible: true });
  await expect(detail).toHaveAttribute("href", pr.url);
  await page.screenshot({ path: testInfo.outputPath("history-worktree.png"), fullPage: true });

  // The run-done notification opens the run page with ?open=pr, which goes on to the pull request.
  await page.route("https://github.com/**", (route) => route.fulfill({ contentType: "text/html", body: "<h1>Pull request</h1>" }));
  await page.goto(`${runUrl}?open=pr`);
  await expect(page).toHaveURL(pr.url);
  await expect(page.getByRole("heading", { name: "Pull request" })).toBeVisible();
}
