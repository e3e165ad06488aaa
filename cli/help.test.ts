import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maestro, ROOT } from "./testing/fake-bridge";

/**
 * Golden `--help` of every command, so a change to help text shows up in review. After a
 * deliberate change, rewrite them: `UPDATE_GOLDEN=1 npx vitest run cli/help.test.ts`.
 */
const GOLDEN = path.join(import.meta.dirname, "__golden__");
const COMMANDS = [
  [],
  ["start"],
  ["status"],
  ["list"],
  ["list", "agents"],
  ["list", "groups"],
  ["show"],
  ["show", "agent"],
  ["completions"],
  ["doctor"],
  ["pair"],
  ["run-doc"],
  ["playbook"],
  ["playbook", "run"],
  ["playbook", "import"],
  ["playbook", "export"],
  ["stop-auto-run"],
  ["resume-auto-run"],
  ["skip-auto-run"],
  ["abort-auto-run"],
  ["reset-auto-run-tasks"],
  ["list", "playbooks"],
  ["list", "runs"],
  ["show", "playbook"],
  ["show", "run"],
  ["send"],
  ["session"],
  ["session", "list"],
  ["session", "show"],
  ["list", "sessions"],
  ["list", "terminals"],
  ["history"],
  ["create-agent"],
  ["update-agent"],
  ["rename-agent"],
  ["remove-agent"],
  ["bookmark"],
  ["create-group"],
  ["share"],
  ["share", "create"],
  ["share", "list"],
  ["share", "revoke"],
  ["tunnel"],
  ["tunnel", "start"],
  ["tunnel", "stop"],
  ["tunnel", "status"],
  ["create-worktree"],
  ["diff"],
  ["pr"],
  ["groupchat"],
  ["groupchat", "list"],
  ["groupchat", "show"],
  ["groupchat", "send"],
  ["init"],
  ["mission"],
  ["mission", "create"],
  ["mission", "list"],
  ["mission", "show"],
  ["mission", "approve"],
  ["mission", "pause"],
  ["mission", "resume"],
  ["mission", "import"],
  ["feature"],
  ["feature", "list"],
  ["feature", "prompt"],
  ["feature", "update"],
  ["feature", "retry"],
  ["feature", "skip"],
  ["validate"],
  ["validate", "show"],
  ["validate", "update"],
  ["milestone"],
  ["milestone", "seal"],
  ["checkpoint"],
  ["checkpoint", "save"],
  ["checkpoint", "list"],
  ["checkpoint", "restore"],
  ["mission-control"],
  ["handoff"],
  ["handoff", "create"],
  ["handoff", "list"],
  ["handoff", "show"],
  ["handoff", "pickup"],
  ["handoff", "claim"],
  ["handoff", "complete"],
  ["handoff", "import"],
  ["memory-correct"],
  ["memory-learn"],
  ["memory-compile"],
  ["memory-list"],
  ["memory-remove"],
];

describe("maestro --help (golden)", () => {
  it.each(COMMANDS.map((c) => [c.join(" ") || "(program)", c]))("%s", async (_name, words) => {
    const r = await maestro([...words, "--help"], { COLUMNS: "80" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/\nExamples:\n {2}\$ \S/);
    const file = path.join(GOLDEN, `${["maestro", ...words].join("-")}.txt`);
    if (process.env.UPDATE_GOLDEN) {
      fs.mkdirSync(GOLDEN, { recursive: true });
      fs.writeFileSync(file, r.stdout);
    }
    expect(r.stdout).toBe(fs.readFileSync(file, "utf8"));
  });

  it("has a golden for every command in the tree", async () => {
    const { buildProgram, allCommands } = await import("./main.mjs");
    const paths = allCommands(buildProgram())
      .filter((c) => c.name() !== "help")
      .map((c) => {
        const names = [];
        for (let cmd: typeof c | null = c; cmd?.parent; cmd = cmd.parent) names.unshift(cmd.name());
        return names.join(" ");
      });
    expect(paths.sort()).toEqual(
      COMMANDS.filter((c) => c.length > 0)
        .map((c) => c.join(" "))
        .sort(),
    );
  });

  it("`maestro help list` is `maestro list --help`; `maestro help` is `maestro --help`", async () => {
    const help = await maestro(["help", "list"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await maestro(["list", "--help"])).stdout);
    const top = await maestro(["help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toBe((await maestro(["--help"])).stdout);
  });

  it("a reader that leaves early (| head -1) ends it quietly", () => {
    const r = spawnSync("bash", ["-c", `"${process.execPath}" bin/maestro.mjs --help | head -1; echo "exit \${PIPESTATUS[0]}"`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.stdout).toBe("Usage: maestro [options] [command]\nexit 0\n");
    expect(r.stderr).toBe("");
  });

  it("a reader already gone when it writes (EPIPE) ends it quietly, exit 0 and nothing on stderr", () => {
    // `true` exits at once and the CLI starts 0.3 s later, so its first write meets a closed pipe:
    // without the handler Node throws EPIPE (exit 1, a stack trace on stderr).
    const r = spawnSync(
      "bash",
      ["-c", `{ sleep 0.3; "${process.execPath}" bin/maestro.mjs --help; } | true; echo "exit \${PIPESTATUS[0]}"`],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(r.stdout).toBe("exit 0\n");
    expect(r.stderr).toBe("");
  });

  it("no command at all prints the help on stderr and exits 2", async () => {
    const r = await maestro([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: maestro [options] [command]");
  });
});
