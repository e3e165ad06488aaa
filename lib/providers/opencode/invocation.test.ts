import { describe, expect, test } from "vitest";
import type { Invocation, TurnSpec } from "../types";
import { OPENCODE_AUTO_CONFIG, OPENCODE_SAFE_CONFIG, buildInvocation } from "./invocation";

const META = "$(rm -rf ~) ; | & ` \"' \n";
const base: TurnSpec = { prompt: "Fix the bug", cwd: "/work/p", binary: "/usr/bin/opencode" };
const HEAD = ["run", "--format", "json"];
const AUTO = { OPENCODE_CONFIG_CONTENT: '{"permission":{"edit":"allow","bash":"allow","webfetch":"allow"},"tools":{"question":false}}' };
const SAFE = { OPENCODE_CONFIG_CONTENT: '{"permission":{"edit":"deny"},"tools":{"question":false}}' };

describe("opencode buildInvocation: the prompt travels on stdin", () => {
  test.each<[string, Partial<TurnSpec>, string[], Record<string, string>, string]>([
    ["a plain prompt", {}, HEAD, AUTO, "Fix the bug"],
    ["resume", { resumeSessionId: "ses_abc" }, [...HEAD, "--session", "ses_abc"], AUTO, "Fix the bug"],
    ["model", { model: "anthropic/claude-sonnet-4-5" }, [...HEAD, "--model", "anthropic/claude-sonnet-4-5"], AUTO, "Fix the bug"],
    ["readOnly: the plan agent, edits denied", { readOnly: true }, [...HEAD, "--agent", "plan"], SAFE, "Fix the bug"],
    ["autoApprove off: no edits, never asks", { autoApprove: false }, HEAD, SAFE, "Fix the bug"],
    [
      "images as -f, last so nothing is swallowed",
      { images: ["/tmp/a.png", "/tmp/b.gif"], extraArgs: ["--variant", "high"] },
      [...HEAD, "--variant", "high", "-f", "/tmp/a.png", "-f", "/tmp/b.gif"],
      AUTO,
      "Fix the bug",
    ],
    ["system prompt leads the prompt", { appendSystemPrompt: "Be brief." }, HEAD, AUTO, "Be brief.\n\nFix the bug"],
    ["shell metacharacters verbatim on stdin", { prompt: META }, HEAD, AUTO, META],
    [
      "env additions win",
      { env: { OPENCODE_CONFIG_CONTENT: "{}", X: "1" } },
      HEAD,
      { OPENCODE_CONFIG_CONTENT: "{}", X: "1" },
      "Fix the bug",
    ],
  ])("%s", (_name, over, args, env, stdin) => {
    expect(buildInvocation({ ...base, ...over })).toEqual<Invocation>({ command: "/usr/bin/opencode", args, env, cwd: "/work/p", stdin });
  });

  test("the config allows the tools and turns off the question tool", () => {
    expect(OPENCODE_AUTO_CONFIG).toEqual({ permission: { edit: "allow", bash: "allow", webfetch: "allow" }, tools: { question: false } });
    expect(OPENCODE_SAFE_CONFIG.tools).toEqual({ question: false });
  });
});
