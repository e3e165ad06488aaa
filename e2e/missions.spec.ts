import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type View = {
  status: string;
  baseBranch: string | null;
  features: { key: string; status: string }[];
  assertions: { key: string; status: string; evidence: string; setBy: string | null }[];
  milestones: { key: string; status: string }[];
};

const KEYS = ["schema", "api", "ui", "docs", "wire", "check"];

/**
 * Two milestones: work (a diamond, schema → api, ui → wire, with docs beside them), then a
 * validation gate (check, after wire and docs). Every feature's verification is a real command
 * the simulator's work makes true; the middle of the diamond is slow, so it is seen running.
 */
function planFile(tag: string) {
  const feature = (id: string, milestoneId: string, dependsOn: string[], slow: boolean) => ({
    id,
    milestoneId,
    title: `${id[0]!.toUpperCase()}${id.slice(1)} ${tag}`,
    description: `Build the ${id} part.${slow ? " [sim: slow 200]" : ""}`,
    workerType: "simulator",
    dependsOn,
    verificationSteps: [`\`test -f ${id}.txt\``],
    fulfills: [`${id}-works`],
  });
  return JSON.stringify(
    {
      title: `Login ${tag}`,
      description: "Sign-in for the web app",
      milestones: [
        { id: "build", title: "Build", description: "", order: 1, kind: "work" },
        { id: "validate", title: "Validate", description: "", order: 2, kind: "validation" },
      ],
      features: [
        feature("schema", "build", [], false),
        feature("api", "build", ["schema"], true),
        feature("ui", "build", ["schema"], true),
        feature("docs", "build", ["schema"], true),
        feature("wire", "build", ["api", "ui"], false),
        feature("check", "validate", ["wire", "docs"], false),
      ],
    },
    null,
    2,
  );
}

/** The test's project folder as a git repository with one commit on main; `git` runs there. */
function gitRepo(projectDir: string) {
  const repo = fs.realpathSync(projectDir);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" }).toString().trim();
  git("init", "-q", "-b", "main");
  git("config", "user.name", "E2E Tester");
  git("config", "user.email", "e2e@example.com");
  fs.writeFileSync(path.join(repo, "README.md"), "app\n");
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  return { repo, git };
}

const sections = (page: Page) => page.getByRole("tablist", { name: "Mission sections" });
const running = (page: Page) => page.locator('button[data-feature][data-status="in-progress"]');

test("a mission: import a plan, approve, features run in parallel, the validation gate waits, seal, completed and merged", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(240_000);
  const tag = `${testInfo.project.name.slice(0, 1)}${Date.now() % 100000}`;
  const { repo, git } = gitRepo(projectDir);
  const project = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", { name: `Web ${tag}`, folder: repo });

  // One tap from the dashboard to Missions, then a new mission from a pasted plan file.
  await page.goto("/");
  const nav =
    testInfo.project.name === "phone"
      ? page.getByRole("navigation", { name: "Main" }).last()
      : page.getByRole("complementary", { name: "Sidebar" });
  await nav.getByRole("link", { name: "Missions" }).click();
  await expect(page).toHaveURL(/\/missions$/);
  await page.getByRole("button", { name: "New mission" }).first().click();
  const sheet = page.getByRole("dialog", { name: "New mission" });
  await sheet.getByLabel("Project").selectOption(project.id);
  const plan = sheet.getByRole("textbox", { name: "Plan (plan.json)" });

  // A cycle is refused in the browser, by name, before anything is sent.
  await plan.fill(planFile(tag).replace('"dependsOn": []', '"dependsOn": ["wire"]'));
  await expect(sheet.getByRole("alert")).toContainText("Dependency cycle");
  await expect(sheet.getByRole("button", { name: "Create mission" })).toBeDisabled();

  await plan.fill(planFile(tag));
  await expect(sheet.getByText("2 milestones, 6 features")).toBeVisible();
  await sheet.getByText(/More: parallel workers/).click();
  await sheet.getByLabel("When it is done").selectOption("merge");
  await sheet.getByRole("button", { name: "Create mission" }).click();
  await expect(page).toHaveURL(/\/missions\/[^/]+$/);
  const missionId = decodeURIComponent(page.url().split("/").pop()!);
  await expect(page.getByRole("heading", { name: `Login ${tag}` })).toBeVisible();
  await expect(page.getByRole("status", { name: "Mission status" })).toHaveText("Draft");

  // The graph is drawn: six nodes, and the diamond's edges.
  if (testInfo.project.name === "phone") await sections(page).getByRole("tab", { name: "Graph" }).click();
  const graph = page.getByRole("group", { name: "Dependency graph" });
  await expect(graph.getByRole("button")).toHaveCount(6);
  if (testInfo.project.name === "phone") await sections(page).getByRole("tab", { name: "Board" }).click();

  // Approve: once schema is done, api, ui and docs run at the same time (concurrency 3).
  await page.getByRole("button", { name: "Approve and run" }).click();
  await expect(page.getByRole("status", { name: "Mission status" })).toHaveText("Running");
  await expect(running(page)).toHaveCount(3, { timeout: 60_000 });
  // The features' worktree agents are not cards on the dashboard; the mission's own agent is, once,
  // with its Mission Control one tap away.
  const { refId } = await trpcQuery<{ refId: string }>(page.request, "missions.get", { missionId });
  const agents = await trpcQuery<{ name: string; mission: { role: string } | null }[]>(page.request, "agents.list", undefined);
  expect(agents.filter((a) => a.name.startsWith(`${refId} · `) && a.mission?.role === "feature").length).toBeGreaterThanOrEqual(3);
  await page.goto("/");
  await expect(page.getByRole("link", { name: `Web ${tag}`, exact: true })).toBeVisible();
  // (Each project's missions are numbered on their own: other tests' projects have a mission of this id too.)
  const family = page.getByRole("list", { name: `Web ${tag} and its worktree agents` });
  await expect(family.getByRole("link", { name: `Login ${tag} (mission ${refId})`, exact: true })).toHaveCount(1);
  await expect(page.getByRole("link", { name: new RegExp(`^${refId} · `) })).toHaveCount(0);
  await page.getByRole("link", { name: `Mission Control: Login ${tag}` }).click();
  await expect(page).toHaveURL(new RegExp(`/missions/${missionId}$`));
  // What runs now, with a worker's live stream.
  await sections(page)
    .getByRole("tab", { name: /^Running/ })
    .click();
  const workers = page.getByRole("tablist", { name: "Workers running" });
  await expect.poll(async () => workers.getByRole("tab").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("link", { name: "Open in agent" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("mission-running.png") });
  if (testInfo.project.name === "phone") await sections(page).getByRole("tab", { name: "Board" }).click();

  // The validation milestone waits for a person.
  const gate = page.getByRole("region", { name: "Review Validate" });
  await expect(gate).toBeVisible({ timeout: 120_000 });
  await expect(gate).toContainText("Needs your review");
  await page.screenshot({ path: testInfo.outputPath("mission-gate.png"), fullPage: true });
  const waiting = await trpcQuery<View>(page.request, "missions.get", { missionId });
  expect(waiting.status).toBe("executing");
  expect(waiting.milestones.map((m) => m.status)).toEqual(["sealed", "review"]);
  await gate.getByRole("button", { name: "Seal Validate" }).click();

  // Completed: every assertion passed (by its verification command), and the merge is done.
  await expect(page.getByRole("status", { name: "Mission status" })).toHaveText("Completed", { timeout: 60_000 });
  await expect(page.getByRole("status", { name: "Finish" })).toContainText("into main");
  await sections(page).getByRole("tab", { name: "Assertions" }).click();
  await expect(page.getByText("6 of 6 passed or waived")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("mission-completed.png"), fullPage: true });
  const done = await trpcQuery<View>(page.request, "missions.get", { missionId });
  expect(done.features.map((f) => [f.key, f.status]).sort()).toEqual(KEYS.map((k) => [k, "done"]).sort());
  expect(done.assertions.map((a) => [a.key, a.status]).sort()).toEqual(KEYS.map((k) => [`${k}-works`, "passed"]).sort());
  for (const a of done.assertions) expect(a.evidence).toMatch(/\$ test -f \w+\.txt → exit 0/);
  // The project's main branch holds every feature's work.
  for (const k of KEYS) expect(git("show", `main:${k}.txt`).length).toBeGreaterThan(0);

  // The log tells the story, live.
  await sections(page).getByRole("tab", { name: "Log" }).click();
  const log = page.getByRole("list", { name: "Activity" });
  await expect(log.locator('[data-log-type="mission-completed"]')).toHaveCount(1);
});

test("a feature whose verification fails: the header says so, its dependent is blocked, Retry from the feature runs it again and the mission completes", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(120_000);
  const tag = `${testInfo.project.name.slice(0, 1)}${Date.now() % 100000}`;
  const { repo } = gitRepo(projectDir);
  // The check looks outside the repository, at a file the test makes only after the first failure.
  const flag = path.join(path.dirname(repo), `approved-${tag}`);
  const project = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Api ${tag}`, folder: repo });
  const plan = {
    title: `Fix ${tag}`,
    milestones: [{ id: "work", title: "Work", kind: "work" }],
    features: [
      { id: "lint", milestoneId: "work", title: `Lint ${tag}`, verificationSteps: [`\`test -f ${flag}\``], fulfills: ["lint-clean"] },
      {
        id: "ship",
        milestoneId: "work",
        title: `Ship ${tag}`,
        dependsOn: ["lint"],
        verificationSteps: ["`test -f ship.txt`"],
        fulfills: ["shipped"],
      },
    ],
  };
  const { id: missionId } = await trpcMutation<{ id: string }>(page.request, "missions.create", { agentId: project.id, plan });

  await page.goto(`/missions/${missionId}`);
  await page.getByRole("button", { name: "Approve and run" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "A feature failed" });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('button[data-feature="lint"]')).toHaveAttribute("data-status", "failed");
  await expect(page.locator('button[data-feature="ship"]')).toHaveAttribute("data-status", "blocked");

  fs.writeFileSync(flag, "ok\n");
  await alert.getByRole("button", { name: `Lint ${tag}` }).click();
  const sheet = page.getByRole("dialog", { name: `Lint ${tag}` });
  await expect(sheet).toContainText("exited 1");
  // Reassign offers agents, not the worktrees the mission made.
  const options = await sheet.getByLabel("Reassign to").locator("option").allTextContents();
  expect(options).toContain(`Api ${tag}`);
  expect(options.filter((o) => o.includes(" · ") || o.startsWith("Mission "))).toEqual([]);
  await sheet.getByRole("button", { name: "Retry" }).click();
  await expect(page.locator('button[data-feature="lint"]')).toHaveAttribute("data-status", "pending");
  await sheet.getByRole("button", { name: "Close" }).click();
  // With nothing else to run the mission paused on the failure: Resume goes on.
  await expect(page.getByRole("status", { name: "Mission status" })).toHaveText("Paused");
  await page.getByRole("button", { name: "Resume" }).click();

  await expect(page.getByRole("status", { name: "Mission status" })).toHaveText("Completed", { timeout: 60_000 });
  const done = await trpcQuery<View>(page.request, "missions.get", { missionId });
  expect(done.features.map((f) => [f.key, f.status])).toEqual([
    ["lint", "done"],
    ["ship", "done"],
  ]);
  expect(done.assertions.map((a) => a.status)).toEqual(["passed", "passed"]);
  fs.rmSync(flag, { force: true });
});
