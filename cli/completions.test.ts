import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { maestro, ROOT } from "./testing/fake-bridge";

/**
 * The completion scripts run in the real shells. zsh and fish are installed by .ci/run; a machine
 * without them fails here with a clear message (a skipped test would prove nothing).
 */
const scripts: Record<string, string> = {};
beforeAll(async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await maestro(["completions", shell]);
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = r.stdout;
  }
});

function run(shell: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(shell, args, { env: { ...process.env, ...env }, encoding: "utf8", cwd: ROOT });
  if (r.error) throw new Error(`${shell} is not installed (${r.error.message}): install it (apt-get install ${shell}) to run this test`);
  return r;
}

/** Completes the line typed so far (the cursor at its end) in a real bash, as Tab does: COMP_LINE/COMP_POINT, and COMP_WORDS split the way bash splits them. */
function bashComplete(line: string): string[] {
  const r = run(
    "bash",
    [
      "--norc",
      "--noprofile",
      "-c",
      // COMP_WORDS as bash builds it: split on COMP_WORDBREAKS too (`:` and `=`), which the script must not trust.
      `eval "$MAESTRO_COMPLETION"; COMP_LINE="$LINE"; COMP_POINT=\${#LINE}; read -ra COMP_WORDS <<<"\${LINE//[:=]/ : }"; COMP_CWORD=\${#COMP_WORDS[@]}; _maestro; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { MAESTRO_COMPLETION: scripts.bash!, LINE: `maestro ${line}` },
  );
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("maestro completions", () => {
  it("bash really completes commands, subcommands and options (compgen)", () => {
    expect(bashComplete("li")).toEqual(["list"]);
    expect(bashComplete("s")).toEqual(["send", "session", "share", "show", "skip-auto-run", "start", "status", "stop-auto-run"]);
    expect(bashComplete("h")).toEqual(["handoff", "help", "history"]);
    expect(bashComplete("help l")).toEqual(["list"]);
    expect(bashComplete("start --p")).toEqual(["--port"]);
    expect(bashComplete("list ")).toEqual(expect.arrayContaining(["agents", "groups", "--json", "--help"]));
    expect(bashComplete("list a")).toEqual(["agents"]);
    expect(bashComplete("list agents --g")).toEqual(["--group"]);
    expect(bashComplete("list groups --g")).toEqual([]);
    // An option's value is not a command word: `--data-dir list` does not enter `list`.
    expect(bashComplete("--data-dir list sho")).toEqual(["show"]);
    expect(bashComplete("show agent api --j")).toEqual(["--json"]);
    expect(bashComplete("completions --no")).toEqual(["--no-color"]);
    expect(bashComplete("completions ")).toEqual(expect.arrayContaining(["bash", "fish", "zsh"]));
    expect(bashComplete("completions f")).toEqual(["fish"]);
    expect(bashComplete("--v")).toEqual(["--verbose", "--version"]);
    expect(bashComplete("status --v")).toEqual(["--verbose"]);
  });

  it("bash: values with `:` and `=` (a URL, --opt=value) do not derail it", () => {
    expect(bashComplete("--url http://127.0.0.1:4280 list a")).toEqual(["agents"]);
    expect(bashComplete("--url http://127.0.0.1:4280 --token x s")).toEqual([
      "send",
      "session",
      "share",
      "show",
      "skip-auto-run",
      "start",
      "status",
      "stop-auto-run",
    ]);
    expect(bashComplete("--data-dir=/x list a")).toEqual(["agents"]);
    expect(bashComplete("--data-dir=/x show agent api --j")).toEqual(["--json"]);
    expect(bashComplete("list agents --group=backend --j")).toEqual(["--json"]);
  });

  it("zsh: the script parses (zsh -n) and offers each command's words", () => {
    expect(run("zsh", ["-n", "-c", scripts.zsh!]).stderr).toBe("");
    // compadd stands in for zsh's completion system: it prints what it is offered.
    const offered = (words: string[]) => {
      const r = run(
        "zsh",
        [
          "-f",
          "-c",
          `compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }; words=(maestro ${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length + 1}; eval "$MAESTRO_COMPLETION"`,
        ],
        { MAESTRO_COMPLETION: scripts.zsh! },
      );
      expect(r.stderr).toBe("");
      return r.stdout.split("\n").filter(Boolean);
    };
    expect(offered(["li"])).toEqual(expect.arrayContaining(["list", "start", "help"]));
    expect(offered(["list", "a"])).toEqual(expect.arrayContaining(["agents", "groups"]));
    expect(offered(["list", "a"])).not.toContain("start");
    expect(offered(["--url", "http://127.0.0.1:4280", "completions", ""])).toEqual(expect.arrayContaining(["bash", "zsh", "fish"]));
    expect(offered(["--data-dir=/x", "list", "agents", ""])).toContain("--group");
  });

  it("fish: the script parses (fish -n) and completes a line (complete -C)", () => {
    expect(run("fish", ["-n", "-c", scripts.fish!]).stderr).toBe("");
    const complete = (line: string) => {
      const r = run("fish", ["--no-config", "-c", `eval $MAESTRO_COMPLETION; complete -C"maestro ${line}"`], {
        MAESTRO_COMPLETION: scripts.fish!,
      });
      expect(r.stderr).toBe("");
      return r.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0])
        .sort();
    };
    expect(complete("li")).toEqual(["list"]);
    expect(complete("list a")).toEqual(["agents"]);
    expect(complete("--url http://127.0.0.1:4280 list agents --g")).toEqual(["--group"]);
    expect(complete("completions f")).toEqual(["fish"]);
  });

  it("an unknown shell is a usage error", async () => {
    const r = await maestro(["completions", "powershell"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "maestro: command-argument value 'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n",
    );
  });
});
