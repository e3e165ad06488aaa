import { describe, expect, test } from "vitest";
import { agentSettingsSchema } from "./agent-settings";
import { parseAgentSettingsForm, toAgentSettingsForm, type AgentSettingsForm } from "./agent-settings-form";

const empty = toAgentSettingsForm({});
const form = (over: Partial<AgentSettingsForm>): AgentSettingsForm => ({ ...empty, ...over });
const errorsOf = (over: Partial<AgentSettingsForm>, simulator = false) => {
  const r = parseAgentSettingsForm(form(over), simulator);
  return "errors" in r ? r.errors : {};
};

describe("the agent-settings form checks with the bridge's schema", () => {
  test.each([
    ["C:\\x", "Use a folder relative to the project, like .maestro/playbooks."],
    ["playbooks\\mine", "Use a folder relative to the project, like .maestro/playbooks."],
    ["a\0b", "Use a folder relative to the project, like .maestro/playbooks."],
    ["/etc", "Use a folder relative to the project, like .maestro/playbooks."],
    ["docs/../../x", "The Auto Run folder must stay inside the project (no “..”)."],
  ])("Auto Run folder %j is refused", (autorunFolder, message) => {
    expect(errorsOf({ autorunFolder })).toEqual({ autorunFolder: message });
    // The very same verdict as the bridge's.
    expect(agentSettingsSchema.safeParse({ autorunFolder }).success).toBe(false);
  });

  test.each([
    [{ idleTimeoutSec: "5" }, "idleTimeoutSec", "A whole number of seconds from 10 to 86400 (24 hours)."],
    [{ idleTimeoutSec: "ten" }, "idleTimeoutSec", "A whole number of seconds from 10 to 86400 (24 hours)."],
    [{ idleTimeoutSec: "12.5" }, "idleTimeoutSec", "A whole number of seconds from 10 to 86400 (24 hours)."],
    [
      { extraArgs: Array.from({ length: 51 }, (_, i) => `--a${i}`).join("\n") },
      "extraArgs",
      "At most 50 arguments, each at most 4096 characters.",
    ],
    [{ env: "1BAD=x" }, "env", "“1BAD”: Environment names are letters, digits and _."],
    [{ env: "GOOD=1\nJUST_A_NAME" }, "env", "Line 2: write KEY=value."],
    [{ simulatorDialect: "klingon" }, "simulatorDialect", undefined],
  ] as const)("%j: an error on %s", (over, field, message) => {
    const errors = errorsOf(over, true);
    expect(Object.keys(errors)).toEqual([field]);
    if (message) expect(errors[field]).toBe(message);
  });

  test("several wrong fields are all reported", () => {
    expect(Object.keys(errorsOf({ autorunFolder: "C:\\x", idleTimeoutSec: "1" })).sort()).toEqual(["autorunFolder", "idleTimeoutSec"]);
  });

  test("a good form becomes settings (blank means default; trailing slashes go; comments are skipped)", () => {
    const r = parseAgentSettingsForm(
      form({
        model: "  sonnet ",
        extraArgs: "--verbose\n\n  --x  ",
        env: "# proxy\nHTTPS_PROXY=http://p:3128\nEMPTY=",
        readOnly: true,
        idleTimeoutSec: "600",
        autorunFolder: "docs/playbooks//",
        simulatorDialect: "codex",
      }),
      false,
    );
    expect(r).toEqual({
      settings: {
        model: "sonnet",
        extraArgs: ["--verbose", "--x"],
        env: { HTTPS_PROXY: "http://p:3128", EMPTY: "" },
        readOnly: true,
        idleTimeoutSec: 600,
        autorunFolder: "docs/playbooks",
      },
    });
  });

  test("settings survive a round trip through the form", () => {
    const settings = {
      model: "m",
      extraArgs: ["-a", "-b"],
      env: { A: "1" },
      isSandbox: true,
      simulatorDialect: "gemini" as const,
      idleTimeoutSec: 30,
      autorunFolder: "x/y",
      terminalShell: "fish",
      terminalStartup: "npm run dev",
    };
    expect(parseAgentSettingsForm(toAgentSettingsForm(settings), true)).toEqual({ settings });
  });
});

describe("worktree settings in the form", () => {
  test("round-trip: what the form shows is what it saves again", () => {
    const settings = { worktreeBase: "/srv/trees", worktreeSetup: "scripts/setup.sh" };
    expect(parseAgentSettingsForm(toAgentSettingsForm(settings), false)).toEqual({ settings });
    expect(parseAgentSettingsForm(form({ worktreeBase: "/srv/trees/ " }), false)).toEqual({ settings: { worktreeBase: "/srv/trees" } });
  });

  test.each([
    [{ worktreeBase: "trees" }, "worktreeBase", "Use an absolute folder for worktrees."],
    [{ worktreeBase: "/srv/../etc" }, "worktreeBase", "The worktree folder must not contain “..” segments."],
    [{ worktreeSetup: "/bin/rm" }, "worktreeSetup", "Use a script file relative to the project, like scripts/worktree-setup.sh."],
    [{ worktreeSetup: "../x.sh" }, "worktreeSetup", "The setup script must be inside the project (no “..”)."],
  ] as const)("%j: refused", (over, field, message) => {
    expect(errorsOf(over)).toEqual({ [field]: message });
  });
});

describe("permissions in the form", () => {
  test("an agent from before approvals keeps its old plan switch until a mode is chosen", () => {
    expect(toAgentSettingsForm({ readOnly: true })).toMatchObject({ readOnly: true, permissionMode: "" });
    expect(parseAgentSettingsForm(toAgentSettingsForm({ readOnly: true }), false)).toEqual({ settings: { readOnly: true } });
    expect(parseAgentSettingsForm(toAgentSettingsForm({}), false)).toEqual({ settings: {} });
  });

  test.each([
    ["ask", { permissionMode: "ask" }],
    ["acceptEdits", { permissionMode: "acceptEdits" }],
    ["plan", { permissionMode: "plan", readOnly: true }],
    ["bypass", { permissionMode: "bypass" }],
  ] as const)("choosing %s stores it, and the old switch follows (Plan ⇔ readOnly)", (mode, settings) => {
    expect(parseAgentSettingsForm(form({ readOnly: true, permissionMode: mode }), false)).toEqual({ settings });
    expect(parseAgentSettingsForm(toAgentSettingsForm(settings), false)).toEqual({ settings });
  });

  test.each(["0", "1441", "2.5", "soon"])("a timeout of %j minutes is refused in plain words", (approvalTimeoutMin) => {
    expect(errorsOf({ approvalTimeoutMin })).toEqual({ approvalTimeoutMin: "A whole number of minutes from 1 to 1440 (24 hours)." });
  });

  test("a timeout round-trips; blank means the default", () => {
    expect(parseAgentSettingsForm(form({ approvalTimeoutMin: " 45 " }), false)).toEqual({ settings: { approvalTimeoutMin: 45 } });
    expect(toAgentSettingsForm({ approvalTimeoutMin: 5 }).approvalTimeoutMin).toBe("5");
  });
});
