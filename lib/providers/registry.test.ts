import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, runSim } from "../../simulator/harness";
import { PROVIDER_IDS, PROVIDERS } from "./catalog";
import { claudeStreamJsonInput } from "./claude/invocation";
import { classifyErrorText, ProviderCapabilityError } from "./errors";
import type { ErrorKind } from "./events";
import { imageMediaType } from "./images";
import { adapters, classifyExit, notInstalledError, parsers, type ExitInfo } from "./registry";
import { joinedText, project, simTurn, tempWorld } from "./sim-turn.testkit";
import { DIALECT_IDS, type DialectId } from "./types";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-registry-");
});
afterAll(() => world.cleanup());

describe("adapters", () => {
  test("one per provider, with its dialect and capabilities", () => {
    expect(Object.keys(adapters).sort()).toEqual([...PROVIDER_IDS].sort());
    for (const id of PROVIDER_IDS) expect(adapters[id].id).toBe(id);
    expect(
      Object.fromEntries(PROVIDER_IDS.map((id) => [id, [adapters[id].dialect, adapters[id].supportsImages, adapters[id].supportsResume]])),
    ).toEqual({
      simulator: ["claude", true, true],
      claude: ["claude", true, true],
      codex: ["codex", true, true],
      opencode: ["opencode", true, true],
      gemini: ["gemini", false, true],
    });
    expect(Object.keys(parsers)).toEqual([...DIALECT_IDS]);
  });

  test("the simulator parser speaks the chosen dialect and names itself in errors", () => {
    const p = adapters.simulator.createParser({ dialect: "codex" });
    expect(p.parse('{"type":"thread.started","thread_id":"t"}')).toEqual([{ type: "session", sessionId: "t" }]);
    expect(p.parse('{"type":"turn.failed","error":{"message":"boom"}}')[0]).toMatchObject({ message: "Simulator reported an error: boom" });
  });

  test("the gemini dialect refuses images in the simulator too", () => {
    expect(() =>
      adapters.simulator.buildInvocation({ prompt: "p", cwd: "/", binary: BIN, images: ["/a.png"], simulator: { dialect: "gemini" } }),
    ).toThrow(ProviderCapabilityError);
  });
});

const META = "$(rm -rf ~) ; | & ` \"' \n";

describe.concurrent("end to end through the simulator", () => {
  test.each(DIALECT_IDS as readonly DialectId[])("%s: a prompt full of shell metacharacters reaches the CLI verbatim", async (dialect) => {
    const t = await simTurn(dialect, { prompt: `Echo this ${META}`, cwd: project(world, `meta-${dialect}`) }, { home: world.home });
    expect(t.run.code).toBe(0);
    // the simulator quotes the prompt it received (whitespace squeezed) at the end of its reply
    expect(joinedText(t.events)).toContain(`Prompt: "Echo this $(rm -rf ~) ; | & \` "'"`);
    expect(t.events.at(-1)).toMatchObject({ type: "done", ok: true });
  });

  test("claude: images travel as one stream-json message on stdin", async () => {
    const cwd = project(world, "img-claude");
    const inv = adapters.simulator.buildInvocation({
      prompt: "What is in these?",
      cwd,
      binary: BIN,
      images: ["/x/a.png", "/x/b.jpeg"],
      isRoot: true,
      simulator: { dialect: "claude", nodePath: process.execPath },
    });
    expect(inv.stdinImages).toEqual({ prompt: "What is in these?", paths: ["/x/a.png", "/x/b.jpeg"] });
    // what the runner does after reading the files
    const stdin = claudeStreamJsonInput(
      inv.stdinImages!.prompt,
      inv.stdinImages!.paths.map((p) => ({ mediaType: imageMediaType(p)!, base64: Buffer.from(p).toString("base64") })),
    );
    const run = await runSim(inv.args.slice(1), { cwd, home: world.home, env: inv.env, input: stdin });
    const p = adapters.simulator.createParser({ dialect: "claude" });
    const events = run.lines.flatMap((l) => p.parse(l));
    expect(run.stderr).toBe("");
    expect(joinedText(events)).toContain("I received 2 images with the prompt.");
    expect(joinedText(events)).toContain('Prompt: "What is in these?"');
  });

  test("codex: -i images", async () => {
    const t = await simTurn(
      "codex",
      { prompt: "Describe", cwd: project(world, "img-codex"), images: ["/x/a.png", "/x/b.png"], resumeSessionId: null },
      { home: world.home },
    );
    expect(joinedText(t.events)).toContain("I received 2 images with the prompt.");
  });

  test("opencode: -f files, prompt still on stdin", async () => {
    const cwd = project(world, "img-opencode");
    const img = path.join(cwd, "shot.png");
    fs.writeFileSync(img, "png");
    const t = await simTurn("opencode", { prompt: "Describe the screenshot", cwd, images: [img] }, { home: world.home });
    expect(t.run.stderr).toBe("");
    expect(joinedText(t.events)).toContain(`Attached files: ${img}.`);
    expect(joinedText(t.events)).toContain('Prompt: "Describe the screenshot"');
  });
});

const exit = (over: Partial<ExitInfo>): ExitInfo => ({
  exitCode: 1,
  signal: null,
  stderrTail: "",
  sawDone: false,
  dialect: "claude",
  ...over,
});

describe("classifyExit", () => {
  test.each<[string, Partial<ExitInfo>, ErrorKind | null, string | RegExp | null]>([
    ["a done event was seen: the turn already says how it ended", { sawDone: true, stderrTail: "anything" }, null, null],
    [
      "crash: exit code and last stderr line",
      { stderrTail: "TypeError: x is undefined\n    at foo (cli.js:1:2)\n\n" },
      "crash",
      "Claude Code crashed (exit 1): at foo (cli.js:1:2)",
    ],
    ["crash with empty stderr", { exitCode: 139 }, "crash", "Claude Code crashed (exit 139)."],
    [
      "ANSI colours are stripped",
      { dialect: "opencode", stderrTail: "\x1b[91m\x1b[1mError: \x1b[0mSession not found\n" },
      "crash",
      "OpenCode crashed (exit 1): Error: Session not found",
    ],
    [
      "killed by a signal",
      { exitCode: null, signal: "SIGKILL", dialect: "codex" },
      "crash",
      "Codex was stopped by SIGKILL before it finished the turn.",
    ],
    [
      "exit 0 without a result",
      { exitCode: 0, dialect: "gemini" },
      "crash",
      "Gemini CLI exited without finishing the turn (no result was reported).",
    ],
    [
      "claude refuses skip-permissions as root",
      { stderrTail: "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n" },
      "permission",
      /refuses to skip permission checks when run as root.*IS_SANDBOX=1.*acceptEdits/,
    ],
    [
      "gemini auth, exit 41",
      {
        dialect: "gemini",
        exitCode: 41,
        stderrTail: "Please set an Auth method in your /root/.gemini/settings.json or specify GEMINI_API_KEY\n",
      },
      "auth",
      /^Gemini CLI is not logged in or its API key was rejected: Please set an Auth method.*Run `gemini` once/,
    ],
    [
      "gemini exit 41 with unfamiliar text is still auth",
      { dialect: "gemini", exitCode: 41, stderrTail: "something new\n" },
      "auth",
      /^Gemini CLI is not logged in/,
    ],
    ["codex 401 on stderr", { dialect: "codex", stderrTail: "Error: unexpected status 401 Unauthorized\n" }, "auth", /Run `codex login`/],
    [
      "context full on stderr",
      { stderrTail: "Error: prompt is too long: 210000 tokens > 200000 maximum\n" },
      "context_full",
      /^The conversation no longer fits in Claude Code's context window/,
    ],
  ])("%s", (_name, over, kind, message) => {
    const e = classifyExit(exit(over));
    if (kind === null) return expect(e).toBeNull();
    expect(e).toMatchObject({ type: "error", kind, fatal: true });
    const m = (e as { message: string }).message;
    if (typeof message === "string") expect(m).toBe(message);
    else expect(m).toMatch(message!);
  });

  test("a rate limit printed on stderr gets its reset time from the given clock", () => {
    const e = classifyExit(
      exit({ dialect: "gemini", stderrTail: "Quota exceeded. Please retry in 30s.\n", now: new Date("2026-01-01T00:00:00Z") }),
    );
    expect(e).toMatchObject({ kind: "rate_limit", resetsAt: "2026-01-01T00:00:30.000Z" });
  });
});

describe("notInstalledError", () => {
  test.each(PROVIDER_IDS.filter((p) => p !== "simulator"))("%s names the command and how to install it", (id) => {
    expect(notInstalledError(id)).toEqual({
      type: "error",
      kind: "not_installed",
      fatal: true,
      message: `${PROVIDERS[id].label} is not installed (no \`${PROVIDERS[id].command}\` command on PATH). Install it: ${PROVIDERS[id].install}`,
    });
  });
  test("the simulator", () => {
    expect(notInstalledError("simulator")).toMatchObject({
      kind: "not_installed",
      message: expect.stringMatching(/^Simulator could not be started/),
    });
  });
});

describe("classifyErrorText", () => {
  test.each<[string, ErrorKind]>([
    ["Invalid API key · Please run /login", "auth"],
    ["OAuth token has expired. Please obtain a new token or refresh your existing token.", "auth"],
    ["unexpected status 401 Unauthorized", "auth"],
    ["invalid x-api-key", "auth"],
    ["You've hit your limit · resets 3pm", "rate_limit"],
    ["[API Error: You have exhausted your capacity on this model.]", "rate_limit"],
    ["429 Too Many Requests", "rate_limit"],
    ["Prompt is too long", "context_full"],
    ["This model's maximum context length is 128000 tokens", "context_full"],
    ["Codex ran out of room in the model's context window", "context_full"],
    ["--dangerously-skip-permissions cannot be used with root/sudo privileges", "permission"],
    ["API Error: 500 Internal server error", "provider"],
    ["Overloaded", "provider"],
  ])("%s → %s", (text, kind) => {
    expect(classifyErrorText(text)).toBe(kind);
  });
});
