import { describe, expect, test } from "vitest";
import {
  branchSlug,
  DEFAULT_BRANCH_TEMPLATE,
  expandBranchTemplate,
  outcomeLines,
  prLinkOf,
  pullRequestText,
  taskCommitMessage,
  uniqueBranch,
  worktreePlan,
  worktreeSettingsOf,
  type BranchVars,
} from "./worktree";

const vars: BranchVars = {
  playbook: "Nightly Cleanup",
  documentName: "Phase 1 — Tests.md",
  agentName: "API server",
  baseBranch: "feature/login",
  now: new Date(2026, 11, 7, 9, 5, 3), // a Monday, local time
};

describe("worktreePlan", () => {
  test.each([
    ["no settings", null, null],
    [
      "desktop's spelling",
      { branchNameTemplate: "x/{{DATE}}", createPROnCompletion: true, prTargetBranch: "main" },
      { template: "x/{{DATE}}", createPr: true, target: "main" },
    ],
    ["desktop's, no target", { branchNameTemplate: "x", createPROnCompletion: false }, { template: "x", createPr: false, target: null }],
    [
      "desktop's, empty template",
      { branchNameTemplate: "  ", createPROnCompletion: true },
      { template: DEFAULT_BRANCH_TEMPLATE, createPr: true, target: null },
    ],
    ["ours, on", { enabled: true, branchName: "mine", createPR: true }, { template: "mine", createPr: true, target: null }],
    ["ours, off", { enabled: false, branchName: "mine", createPR: true }, null],
    ["ours, on without a name", { enabled: true }, { template: DEFAULT_BRANCH_TEMPLATE, createPr: false, target: null }],
  ])("%s", (_, settings, plan) => {
    expect(worktreePlan(settings)).toEqual(plan);
  });

  test("stored back in desktop's spelling, in desktop's order", () => {
    expect(JSON.stringify(worktreeSettingsOf({ template: "a/b", createPr: true, target: "main" }))).toBe(
      '{"branchNameTemplate":"a/b","createPROnCompletion":true,"prTargetBranch":"main"}',
    );
    expect(worktreeSettingsOf({ template: "a", createPr: false, target: null })).toEqual({
      branchNameTemplate: "a",
      createPROnCompletion: false,
    });
    expect(worktreeSettingsOf(null)).toBeNull();
  });
});

describe("expandBranchTemplate", () => {
  test.each([
    [DEFAULT_BRANCH_TEMPLATE, "autorun/nightly-cleanup-2026-12-07"],
    ["{{AGENT_NAME}}/{{DOCUMENT_NAME}}", "api-server/phase-1-tests"],
    ["auto-run-{{BASE_BRANCH}}-{{MONTH}}{{DAY}}", "auto-run-feature/login-1207"],
    ["wip/{{ GIT_BRANCH }}/{{TIME}}", "wip/feature/login/09-05"],
    ["release/{{date}}", "release/2026-12-07"],
    ["{{DATETIME}}-{{WEEKDAY}}-{{YEAR}}", "2026-12-07-09-05-monday-2026"],
    ["t/{{TIMESTAMP}}", `t/${vars.now.getTime()}`],
    ["plain-name", "plain-name"],
  ])("%j → %j", (template, branch) => {
    expect(expandBranchTemplate(template, vars)).toEqual({ ok: true, branch });
  });

  test("a direct run's name (its documents) gives the names without .md", () => {
    expect(expandBranchTemplate("{{PLAYBOOK}}", { ...vars, playbook: "plan.md, Notes.MD" })).toEqual({ ok: true, branch: "plan-notes" });
  });

  test("values are made safe: a name full of git's special characters gives one clean piece", () => {
    const hostileNames = { ...vars, playbook: "../--upload-pack=x ~^:?*[\\ @{", agentName: "\u202Eevil\u0000", documentName: "..md" };
    const r = expandBranchTemplate("{{PLAYBOOK}}/{{AGENT_NAME}}/{{DOCUMENT_NAME}}", hostileNames);
    expect(r).toEqual({ ok: true, branch: "upload-pack-x/evil/document" });
  });

  test.each([
    ["--upload-pack=x", /cannot start with “-”/],
    ["../x", /“\.\.”|start with “\.”/],
    ["a..b", /“\.\.”/],
    ["x".repeat(300), /at most 200 characters/],
    ["bad\u0007name", /control or invisible/],
    ["with space", /spaces/],
    ["feature/{{DATE}}.lock", /\.lock/],
    ["", /Type a branch name/],
    ["{{NOPE}}-x", /uses \{\{NOPE\}\}, which Maestro does not know/],
  ])("hostile or broken template %j is refused with a clear error", (template, message) => {
    const r = expandBranchTemplate(template, vars);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  test("slugs", () => {
    expect(branchSlug("Café Crème")).toBe("cafe-creme");
    expect(branchSlug("a//b/../c", true)).toBe("a/b/c");
    expect(branchSlug("x".repeat(80))).toHaveLength(50);
  });

  test("no piece ends in .lock (git refuses it), also after the cut and when .lock comes twice", () => {
    expect(branchSlug("Release.LOCK")).toBe("release");
    expect(branchSlug("a.lock.lock")).toBe("a");
    expect(branchSlug("deploy.lock-", true)).toBe("deploy");
    expect(branchSlug("feature.lock/x.lock/ok", true)).toBe("feature/x/ok");
    expect(branchSlug(`${"y".repeat(45)}.lockzzzz`)).toBe("y".repeat(45));
    expect(branchSlug("x.lock")).toBe("x");
    const r = expandBranchTemplate("autorun/{{PLAYBOOK}}/{{BASE_BRANCH}}", { ...vars, playbook: "Ship.lock", baseBranch: "rel.lock/x" });
    expect(r).toEqual({ ok: true, branch: "autorun/ship/rel/x" });
  });
});

describe("uniqueBranch", () => {
  test("taken names get -2, -3…", () => {
    const taken = new Set(["a", "a-2"]);
    expect(uniqueBranch("a", (n) => taken.has(n))).toBe("a-3");
    expect(uniqueBranch("b", (n) => taken.has(n))).toBe("b");
  });
  test("a long name is shortened to fit the suffix", () => {
    const long = "y".repeat(200);
    const name = uniqueBranch(long, (n) => n === long);
    expect(name).toHaveLength(200);
    expect(name.endsWith("-2")).toBe(true);
  });
});

test("commit message and pull request text", () => {
  expect(taskCommitMessage("write  alpha.txt\n")).toBe("Auto Run: write alpha.txt");
  expect(taskCommitMessage("z".repeat(100))).toHaveLength(72);
  const { title, body } = pullRequestText({
    runName: "Nightly",
    documents: ["plan.md"],
    tasks: ["one", "two"],
    summary: "Nightly: done.",
    branch: "autorun/n",
  });
  expect(title).toBe("Auto Run: Nightly");
  expect(body).toContain("- [x] one\n- [x] two");
  expect(body).toContain("`autorun/n`");
});

describe("History lines", () => {
  test("a pull request is a link; a compare page too; other schemes are not", () => {
    const pr = outcomeLines({ branch: "b", url: "https://github.com/acme/app/pull/7", via: "gh", warning: null }).join("\n");
    expect(pr).toBe("Branch: b\nPull request: https://github.com/acme/app/pull/7");
    expect(prLinkOf(`done\n${pr}`)).toEqual({ label: "Open pull request", url: "https://github.com/acme/app/pull/7" });
    const cmp = outcomeLines({
      branch: "b",
      url: "https://github.com/acme/app/compare/main...b?expand=1",
      via: "compare",
      warning: "gh is not logged in",
    });
    expect(cmp).toContain("Warning: gh is not logged in");
    expect(prLinkOf(cmp.join("\n"))?.label).toBe("Open a pull request");
    expect(prLinkOf("Pull request: javascript:alert(1)")).toBeNull();
    expect(prLinkOf("done")).toBeNull();
  });
});
