import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { maestro, ROOT } from "./testing/fake-bridge";

/** Completes `words` (the last is the word being typed) in a real bash with the generated script. */
function bashComplete(script: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const r = spawnSync(
    "bash",
    [
      "--norc",
      "--noprofile",
      "-c",
      `eval "$MAESTRO_COMPLETION"; COMP_WORDS=(maestro ${quoted}); COMP_CWORD=${words.length}; _maestro; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { env: { ...process.env, MAESTRO_COMPLETION: script }, encoding: "utf8", cwd: ROOT },
  );
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("maestro completions", () => {
  it("bash really completes commands, subcommands and options (compgen)", async () => {
    const r = await maestro(["completions", "bash"]);
    expect(r.code).toBe(0);
    const script = r.stdout;
    expect(bashComplete(script, ["li"])).toEqual(["list"]);
    expect(bashComplete(script, ["s"])).toEqual(["send", "session", "share", "show", "start", "status"]);
    expect(bashComplete(script, ["session", ""])).toEqual(expect.arrayContaining(["list", "show"]));
    expect(bashComplete(script, ["send", "api", "hi", "--no"])).toEqual(["--no-color", "--no-wait"]);
    expect(bashComplete(script, ["start", "--p"])).toEqual(["--port"]);
    expect(bashComplete(script, ["list", ""])).toEqual(expect.arrayContaining(["agents", "groups", "--json", "--help"]));
    expect(bashComplete(script, ["list", "a"])).toEqual(["agents"]);
    expect(bashComplete(script, ["list", "agents", "--g"])).toEqual(["--group"]);
    expect(bashComplete(script, ["list", "groups", "--g"])).toEqual([]);
    // An option's value is not a command word: `--data-dir list` does not enter `list`.
    expect(bashComplete(script, ["--data-dir", "list", "sh"])).toEqual(["share", "show"]);
    expect(bashComplete(script, ["show", "agent", "api", "--j"])).toEqual(["--json"]);
    expect(bashComplete(script, ["completions", "--no"])).toEqual(["--no-color"]);
    expect(bashComplete(script, ["--v"])).toEqual(["--verbose", "--version"]);
    expect(bashComplete(script, ["status", "--v"])).toEqual(["--verbose"]);
  });

  it("zsh and fish scripts cover the same tree", async () => {
    const zsh = (await maestro(["completions", "zsh"])).stdout;
    expect(zsh.startsWith("#compdef maestro\n")).toBe(true);
    expect(zsh).toContain('"list agents"|"list agents "*) opts=(--group -g ');
    const fish = (await maestro(["completions", "fish"])).stdout;
    expect(fish).toContain(`complete -c maestro -n '__maestro_at "list"' -a 'agents groups sessions terminals --data-dir `);
    expect(fish).toContain(
      `complete -c maestro -n '__maestro_at ""' -a 'start status completions doctor pair list show send session history `,
    );
  });

  it("an unknown shell is a usage error", async () => {
    const r = await maestro(["completions", "powershell"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});
