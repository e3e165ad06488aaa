import { describe, expect, test } from "vitest";
import { ProviderCapabilityError } from "../errors";
import type { Invocation, TurnSpec } from "../types";
import { buildInvocation, claudeStreamJsonInput } from "./invocation";

const META = "$(rm -rf ~) ; | & ` \"' \n";
const base: TurnSpec = { prompt: "Fix the bug", cwd: "/work/p", binary: "/usr/local/bin/claude" };
const HEAD = ["-p", "--verbose", "--output-format", "stream-json"];
const ENV = { CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "1" };

describe("claude buildInvocation", () => {
  test.each<[string, Partial<TurnSpec>, string[], Record<string, string>]>([
    ["a plain prompt", {}, [...HEAD, "--dangerously-skip-permissions", "--", "Fix the bug"], ENV],
    [
      "resume",
      { resumeSessionId: "0b6f…-uuid" },
      [...HEAD, "--resume", "0b6f…-uuid", "--dangerously-skip-permissions", "--", "Fix the bug"],
      ENV,
    ],
    ["model", { model: "opus" }, [...HEAD, "--model", "opus", "--dangerously-skip-permissions", "--", "Fix the bug"], ENV],
    ["readOnly (plan mode)", { readOnly: true }, [...HEAD, "--permission-mode", "plan", "--", "Fix the bug"], ENV],
    ["readOnly as root", { readOnly: true, isRoot: true }, [...HEAD, "--permission-mode", "plan", "--", "Fix the bug"], ENV],
    ["root without isSandbox: acceptEdits", { isRoot: true }, [...HEAD, "--permission-mode", "acceptEdits", "--", "Fix the bug"], ENV],
    [
      "root with isSandbox: skip-permissions + IS_SANDBOX=1",
      { isRoot: true, isSandbox: true },
      [...HEAD, "--dangerously-skip-permissions", "--", "Fix the bug"],
      { ...ENV, IS_SANDBOX: "1" },
    ],
    ["autoApprove off: claude's default mode", { autoApprove: false }, [...HEAD, "--", "Fix the bug"], ENV],
    [
      "append system prompt",
      { appendSystemPrompt: "Be brief." },
      [...HEAD, "--dangerously-skip-permissions", "--append-system-prompt", "Be brief.", "--", "Fix the bug"],
      ENV,
    ],
    [
      "extraArgs before --",
      { extraArgs: ["--max-turns", "5"] },
      [...HEAD, "--dangerously-skip-permissions", "--max-turns", "5", "--", "Fix the bug"],
      ENV,
    ],
    [
      "env additions win",
      { env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:9", CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "0" } },
      [...HEAD, "--dangerously-skip-permissions", "--", "Fix the bug"],
      { CLAUDE_CODE_DISABLE_BACKGROUND_TASKS: "0", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" },
    ],
    ["shell metacharacters stay one argv element", { prompt: META }, [...HEAD, "--dangerously-skip-permissions", "--", META], ENV],
    ["a prompt that looks like a flag", { prompt: "--help me" }, [...HEAD, "--dangerously-skip-permissions", "--", "--help me"], ENV],
  ])("%s", (_name, over, args, env) => {
    const inv = buildInvocation({ ...base, ...over });
    expect(inv).toEqual<Invocation>({ command: "/usr/local/bin/claude", args, env, cwd: "/work/p", stdin: null });
  });

  test("images: stream-json input; the prompt and images go on stdin, not argv", () => {
    const inv = buildInvocation({ ...base, images: ["/tmp/a.png", "/tmp/b.JPG"], model: "sonnet" });
    expect(inv.args).toEqual([...HEAD, "--input-format", "stream-json", "--model", "sonnet", "--dangerously-skip-permissions"]);
    expect(inv.stdin).toBeNull();
    expect(inv.stdinImages).toEqual({ prompt: "Fix the bug", paths: ["/tmp/a.png", "/tmp/b.JPG"] });
  });

  test.each([
    ["relative path", "shot.png", "image_path_invalid"],
    ["not an image", "/tmp/notes.pdf", "image_type_unsupported"],
  ])("images: %s is refused with a typed error", (_n, p, code) => {
    try {
      buildInvocation({ ...base, images: [p] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProviderCapabilityError);
      expect(e).toMatchObject({ code, provider: "claude" });
    }
  });

  test("claudeStreamJsonInput: one user message line, images first", () => {
    const s = claudeStreamJsonInput(META, [{ mediaType: "image/png", base64: "iVBORw0KGgo=" }]);
    expect(s.endsWith("\n")).toBe(true);
    expect(s.trimEnd().includes("\n")).toBe(false);
    expect(JSON.parse(s)).toEqual({
      type: "user",
      message: {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "text", text: META },
        ],
      },
    });
  });
});

describe("claude buildInvocation with approvals (permission modes)", () => {
  const ASK = [...HEAD, "--input-format", "stream-json", "--permission-prompt-tool", "stdio"];
  const promptLine = `${JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "text", text: "Fix the bug" }] } })}\n`;
  test.each<[string, Partial<TurnSpec>, string[], Record<string, string>]>([
    ["ask", { permissionMode: "ask" }, [...ASK, "--permission-mode", "default"], ENV],
    [
      "acceptEdits",
      { permissionMode: "acceptEdits", resumeSessionId: "s1" },
      [...ASK, "--resume", "s1", "--permission-mode", "acceptEdits"],
      ENV,
    ],
    ["bypass (questions still ask)", { permissionMode: "bypass" }, [...ASK, "--dangerously-skip-permissions"], ENV],
    [
      "bypass as root with isSandbox",
      { permissionMode: "bypass", isRoot: true, isSandbox: true },
      [...ASK, "--dangerously-skip-permissions"],
      { ...ENV, IS_SANDBOX: "1" },
    ],
    [
      "bypass as root without isSandbox: edits go ahead, commands ask",
      { permissionMode: "bypass", isRoot: true },
      [...ASK, "--permission-mode", "acceptEdits"],
      ENV,
    ],
    [
      "one --allowedTools=RULE per rule (a comma stays inside its rule; a value is never read as an option)",
      { permissionMode: "ask", allowRules: ["Bash(touch:*)", "Bash(echo a,b)"], extraArgs: ["--max-turns", "5"] },
      [...ASK, "--permission-mode", "default", "--allowedTools=Bash(touch:*)", "--allowedTools=Bash(echo a,b)", "--max-turns", "5"],
      ENV,
    ],
  ])("%s: no positional prompt, the prompt on stdin, stdin kept open", (_name, over, args, env) => {
    const inv = buildInvocation({ ...base, ...over });
    expect(inv).toEqual<Invocation>({ command: "/usr/local/bin/claude", args, env, cwd: "/work/p", stdin: promptLine, stdinOpen: true });
  });

  test("plan keeps today's argv (no stdio: an allow would run in plan mode)", () => {
    const inv = buildInvocation({ ...base, permissionMode: "plan", allowRules: ["Bash(touch:*)"] });
    expect(inv.args).toEqual([...HEAD, "--permission-mode", "plan", "--", "Fix the bug"]);
    expect(inv.stdinOpen).toBeUndefined();
  });

  test("a read-only turn wins over the mode", () => {
    expect(buildInvocation({ ...base, permissionMode: "ask", readOnly: true }).args).toEqual([
      ...HEAD,
      "--permission-mode",
      "plan",
      "--",
      "Fix the bug",
    ]);
  });

  test("images travel in the same stdin message", () => {
    const inv = buildInvocation({ ...base, permissionMode: "ask", images: ["/tmp/a.png"] });
    expect(inv.stdinOpen).toBe(true);
    expect(inv.stdinImages).toEqual({ prompt: "Fix the bug", paths: ["/tmp/a.png"] });
  });
});
