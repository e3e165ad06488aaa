import { describe, expect, test } from "vitest";
import { ProviderCapabilityError } from "../errors";
import type { Invocation, TurnSpec } from "../types";
import { buildInvocation } from "./invocation";

const META = "$(rm -rf ~) ; | & ` \"' \n";
const base: TurnSpec = { prompt: "Fix the bug", cwd: "/work/p", binary: "/usr/bin/codex" };
const HEAD = ["-C", "/work/p", "exec"];
const FLAGS = ["--json", "--skip-git-repo-check"];
const WRITE = ["-s", "workspace-write"];

describe("codex buildInvocation", () => {
  test.each<[string, Partial<TurnSpec>, string[]]>([
    ["a plain prompt", {}, [...HEAD, ...FLAGS, ...WRITE, "--", "Fix the bug"]],
    [
      "resume: the sandbox comes before `resume`",
      { resumeSessionId: "019a-thread" },
      [...HEAD, ...FLAGS, ...WRITE, "resume", "019a-thread", "--", "Fix the bug"],
    ],
    ["model", { model: "gpt-5-codex" }, [...HEAD, ...FLAGS, ...WRITE, "-m", "gpt-5-codex", "--", "Fix the bug"]],
    ["readOnly", { readOnly: true }, [...HEAD, ...FLAGS, "-s", "read-only", "--", "Fix the bug"]],
    ["autoApprove off: read-only (exec can't ask)", { autoApprove: false }, [...HEAD, ...FLAGS, "-s", "read-only", "--", "Fix the bug"]],
    [
      "a machine the user marked as sandbox: bypass codex's own",
      { isSandbox: true },
      [...HEAD, ...FLAGS, "--dangerously-bypass-approvals-and-sandbox", "--", "Fix the bug"],
    ],
    ["readOnly wins over isSandbox", { isSandbox: true, readOnly: true }, [...HEAD, ...FLAGS, "-s", "read-only", "--", "Fix the bug"]],
    [
      "images: each -i followed by a flag",
      { images: ["/tmp/a.png", "/tmp/b.webp"], resumeSessionId: "t1" },
      [...HEAD, "-i", "/tmp/a.png", "-i", "/tmp/b.webp", ...FLAGS, ...WRITE, "resume", "t1", "--", "Fix the bug"],
    ],
    [
      "extraArgs among the exec options, before resume",
      { extraArgs: ["-c", "model_reasoning_effort=high"], resumeSessionId: "t1" },
      [...HEAD, ...FLAGS, ...WRITE, "-c", "model_reasoning_effort=high", "resume", "t1", "--", "Fix the bug"],
    ],
    [
      "no system-prompt flag: it leads the prompt",
      { appendSystemPrompt: "Be brief." },
      [...HEAD, ...FLAGS, ...WRITE, "--", "Be brief.\n\nFix the bug"],
    ],
    ["shell metacharacters stay one argv element", { prompt: META }, [...HEAD, ...FLAGS, ...WRITE, "--", META]],
    ["a prompt that looks like a flag", { prompt: "-m gpt-4" }, [...HEAD, ...FLAGS, ...WRITE, "--", "-m gpt-4"]],
  ])("%s", (_name, over, args) => {
    expect(buildInvocation({ ...base, ...over })).toEqual<Invocation>({
      command: "/usr/bin/codex",
      args,
      env: {},
      cwd: "/work/p",
      stdin: null,
    });
  });

  test("env additions pass through", () => {
    expect(buildInvocation({ ...base, env: { CODEX_HOME: "/h" } }).env).toEqual({ CODEX_HOME: "/h" });
  });

  test("an image path with a comma is refused (codex splits -i on commas)", () => {
    expect(() => buildInvocation({ ...base, images: ["/tmp/a,b.png"] })).toThrow(ProviderCapabilityError);
  });
});
