// Contract tests: the claude dialect speaks the control protocol (`--permission-prompt-tool stdio`)
// as the pinned claude 2.1.330 does (the verified lines are in the issue 14 research note, §1).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, tempWorld, type Ev } from "./harness";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-sim-ctl-");
});
afterAll(() => world.cleanup());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STDIO = ["-p", "--verbose", "--output-format", "stream-json", "--input-format", "stream-json", "--permission-prompt-tool", "stdio"];

type Reply = Record<string, unknown> | "sigint" | "eof" | "interrupt" | { error: string };
type Talk = { events: Ev[]; code: number | null; signal: NodeJS.Signals | null; stderr: string; cwd: string };

let n = 0;
function freshDir() {
  const dir = path.join(world.cwd, `t${++n}`);
  fs.mkdirSync(dir);
  return dir;
}

/** Run one turn; `answer` decides each can_use_tool request (the result line closes stdin, as Maestro does). */
function talk(prompt: string, answer: (req: Ev) => Reply, o: { args?: string[]; env?: Record<string, string>; cwd?: string } = {}) {
  const cwd = o.cwd ?? freshDir();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("MAESTRO_SIM_") && k !== "IS_SANDBOX") env[k] = v;
  Object.assign(env, { MAESTRO_SIM_HOME: world.home }, o.env ?? {});
  return new Promise<Talk>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...(o.args ?? STDIO)], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const events: Ev[] = [];
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out: ${JSON.stringify(events).slice(0, 2000)}`));
    }, 10_000);
    child.stderr.on("data", (d) => (stderr += d));
    const send = (v: object) => child.stdin.write(JSON.stringify(v) + "\n");
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const ev = JSON.parse(line) as Ev;
      events.push(ev);
      if (ev.type === "result") child.stdin.end();
      if (ev.type !== "control_request") return;
      const r = answer(ev);
      if (r === "sigint") child.kill("SIGINT");
      else if (r === "eof") child.stdin.end();
      else if (r === "interrupt") send({ type: "control_request", request_id: "int_1", request: { subtype: "interrupt" } });
      else if ("error" in r && typeof r.error === "string")
        send({ type: "control_response", response: { subtype: "error", request_id: ev.request_id, error: r.error } });
      else send({ type: "control_response", response: { subtype: "success", request_id: ev.request_id, response: r } });
    });
    child.stdin.on("error", () => {});
    send({ type: "user", message: { role: "user", content: [{ type: "text", text: prompt }] } });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ events, code, signal, stderr, cwd });
    });
  });
}

const allowAsIs = (req: Ev) => ({ behavior: "allow", updatedInput: req.request.input });
const requests = (t: Talk) => t.events.filter((e) => e.type === "control_request");
const toolUses = (t: Talk) =>
  t.events.filter((e) => e.type === "assistant" && e.message.content[0].type === "tool_use").map((e) => e.message.content[0]);
const toolResults = (t: Talk) => t.events.filter((e) => e.type === "user" && e.message.content[0].type === "tool_result");
const result = (t: Talk) => t.events.find((e) => e.type === "result");

describe.concurrent("claude control protocol (--permission-prompt-tool stdio)", () => {
  test("a Write asks first: the can_use_tool line as 2.1.330 prints it; allow runs it", async () => {
    const t = await talk("write a file named w.txt containing hello", allowAsIs);
    expect(t.code).toBe(0);
    const [req] = requests(t);
    const [use] = toolUses(t);
    expect(Object.keys(req!)).toEqual(["type", "request_id", "request"]);
    expect(req!.request_id).toMatch(UUID);
    expect(Object.keys(req!.request)).toEqual([
      "subtype",
      "tool_name",
      "display_name",
      "input",
      "description",
      "permission_suggestions",
      "tool_use_id",
    ]);
    expect(req!.request).toMatchObject({
      subtype: "can_use_tool",
      tool_name: "Write",
      display_name: "Write",
      input: { file_path: path.join(t.cwd, "w.txt"), content: "hello\n" },
      description: "w.txt",
      permission_suggestions: [{ type: "setMode", mode: "acceptEdits", destination: "session" }],
      tool_use_id: use.id,
    });
    // The request comes after the assistant line holding the tool_use, before its result.
    const i = t.events.indexOf(req!);
    expect(t.events[i - 1]!.message.content[0].id).toBe(use.id);
    const [tr] = toolResults(t);
    expect(tr!.message.content[0]).toEqual({
      tool_use_id: use.id,
      type: "tool_result",
      content: `File created successfully at: ${path.join(t.cwd, "w.txt")}`,
    });
    expect(tr!.tool_result_meta).toEqual([{ id: use.id, permission_decision: { decision: "accept", source: "user_temporary" } }]);
    expect(fs.readFileSync(path.join(t.cwd, "w.txt"), "utf8")).toBe("hello\n");
    expect(result(t)).toMatchObject({ subtype: "success", is_error: false, permission_denials: [] });
    expect(t.events[0]!.tools).toContain("AskUserQuestion");
  });

  test("allow with an edited input runs the edited call", async () => {
    const t = await talk("write a file named w.txt containing hello", (req) => ({
      behavior: "allow",
      updatedInput: {
        ...req.request.input,
        file_path: path.join(path.dirname(req.request.input.file_path), "edited.txt"),
        content: "edited\n",
      },
    }));
    expect(fs.existsSync(path.join(t.cwd, "w.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(t.cwd, "edited.txt"), "utf8")).toBe("edited\n");
    // The assistant line still shows the original input.
    expect(toolUses(t)[0].input.file_path).toBe(path.join(t.cwd, "w.txt"));
  });

  test("deny: an is_error tool_result with the message, listed in permission_denials; the turn goes on", async () => {
    const t = await talk("write a file named w.txt containing hello", () => ({ behavior: "deny", message: "Not now: use notes.md" }));
    expect(t.code).toBe(0);
    const [use] = toolUses(t);
    const [tr] = toolResults(t);
    expect(tr!.message.content[0]).toEqual({ type: "tool_result", content: "Not now: use notes.md", is_error: true, tool_use_id: use.id });
    expect(tr!.tool_use_result).toBe("Error: Not now: use notes.md");
    expect(tr!.tool_result_meta).toEqual([
      { id: use.id, non_execution_kind: "permission-rule", permission_decision: { decision: "reject", source: "user_reject" } },
    ]);
    expect(fs.existsSync(path.join(t.cwd, "w.txt"))).toBe(false);
    const res = result(t)!;
    expect(res).toMatchObject({ subtype: "success", is_error: false });
    expect(res.permission_denials).toEqual([{ tool_name: "Write", tool_use_id: use.id, tool_input: use.input }]);
    expect(res.result).toContain("Could not write w.txt: permission denied (Not now: use notes.md)");
  });

  test("an error response is a denial: Tool permission request failed: Error: …", async () => {
    const t = await talk("write a file named w.txt containing hello", () => ({ error: "host failed" }));
    expect(toolResults(t)[0]!.message.content[0].content).toBe("Tool permission request failed: Error: host failed");
    expect(fs.existsSync(path.join(t.cwd, "w.txt"))).toBe(false);
  });

  test("Bash: a file command's request carries the exact-rule, folder and mode suggestions and the blocked path", async () => {
    const t = await talk("run `touch hi.txt`", allowAsIs);
    const [req] = requests(t);
    const [use] = toolUses(t);
    expect(use).toMatchObject({ name: "Bash", input: { command: "touch hi.txt" } });
    expect(req!.request).toEqual({
      subtype: "can_use_tool",
      tool_name: "Bash",
      display_name: "Bash",
      input: use.input,
      description: use.input.description,
      permission_suggestions: [
        { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch hi.txt" }], behavior: "allow", destination: "localSettings" },
        { type: "addDirectories", directories: [t.cwd], destination: "session" },
        { type: "setMode", mode: "acceptEdits", destination: "session" },
      ],
      blocked_path: path.join(t.cwd, "hi.txt"),
      tool_use_id: use.id,
    });
    expect(toolResults(t)[0]!.message.content[0]).toMatchObject({ content: "(Bash completed with no output)" });
    expect(fs.existsSync(path.join(t.cwd, "hi.txt"))).toBe(true);
    expect(result(t)!.result).toContain("Ran `touch hi.txt`.");
  });

  test("Bash: another command asks with a wildcard rule and a reason; the simulator cannot run it", async () => {
    const t = await talk("run `npm run build`", allowAsIs);
    expect(requests(t)[0]!.request).toMatchObject({
      permission_suggestions: [
        { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm run *" }], behavior: "allow", destination: "localSettings" },
      ],
      decision_reason: "This command requires approval",
      decision_reason_type: "other",
    });
    expect(toolResults(t)[0]!.message.content[0]).toMatchObject({ is_error: true, content: expect.stringMatching(/^Exit code 127\n/) });
  });

  test.each([
    ["Bash(touch:*)", "touch a.txt", false],
    ["Bash(touch *)", "touch a.txt", false],
    ["Bash(touch a.txt)", "touch a.txt", false],
    ["Bash(touch b.txt)", "touch a.txt", true],
    ["Bash", "touch a.txt", false],
    ["Bash(touch:*)", "touch a.txt && rm -f b.txt", true],
    ["Bash(touch:*),Bash(mkdir:*)", "touch a.txt && mkdir d", false],
    ["Write", "", false],
    ["Edit", "", true],
  ])("--allowedTools %s: %s asks: %s", async (rule, cmd, asks) => {
    const prompt = cmd ? `run \`${cmd}\`` : "write a file named a.txt containing hi";
    const t = await talk(prompt, allowAsIs, { args: [...STDIO, "--allowedTools", rule] });
    expect(requests(t).length > 0).toBe(asks);
    expect(fs.existsSync(path.join(t.cwd, "a.txt"))).toBe(true);
  });

  test("acceptEdits: writes and touch go ahead; rm still asks", async () => {
    const args = [...STDIO, "--permission-mode", "acceptEdits"];
    const t = await talk("write a file named a.txt containing hi, then run `touch b.txt` and run `rm -f a.txt`", allowAsIs, { args });
    expect(requests(t).map((r) => r.request.input.command ?? r.request.tool_name)).toEqual(["rm -f a.txt"]);
    expect(fs.existsSync(path.join(t.cwd, "b.txt"))).toBe(true);
    expect(fs.existsSync(path.join(t.cwd, "a.txt"))).toBe(false);
  });

  test("bypass asks nothing but questions", async () => {
    const args = [...STDIO, "--dangerously-skip-permissions"];
    const t = await talk(
      "ask me which colour to use: red or blue. Then run `touch c.txt`",
      (req) => ({
        behavior: "allow",
        updatedInput: { ...req.request.input, answers: { [req.request.input.questions[0].question]: "Red" } },
      }),
      { args, env: { IS_SANDBOX: "1" } },
    );
    expect(requests(t).map((r) => r.request.tool_name)).toEqual(["AskUserQuestion"]);
    expect(fs.existsSync(path.join(t.cwd, "c.txt"))).toBe(true);
  });

  test("AskUserQuestion: requires_user_interaction; the answers come back as the tool_result text", async () => {
    const t = await talk("ask me which colour should the button be? Options: red, blue or green", (req) => ({
      behavior: "allow",
      updatedInput: { ...req.request.input, answers: { "Which colour should the button be?": "Blue" } },
    }));
    const [req] = requests(t);
    const [use] = toolUses(t);
    expect(req!.request).toEqual({
      subtype: "can_use_tool",
      tool_name: "AskUserQuestion",
      display_name: "AskUserQuestion",
      input: {
        questions: [
          {
            question: "Which colour should the button be?",
            header: "Colour",
            options: [
              { label: "Red", description: "Go with Red." },
              { label: "Blue", description: "Go with Blue." },
              { label: "Green", description: "Go with Green." },
            ],
            multiSelect: false,
          },
        ],
      },
      tool_use_id: use.id,
      requires_user_interaction: true,
    });
    expect(toolResults(t)[0]!.message.content[0].content).toBe(
      'Your questions have been answered: "Which colour should the button be?"="Blue". You can now continue with these answers in mind.',
    );
    expect(result(t)!.result).toContain("You answered: “Which colour should the button be?” → Blue.");
  });

  test("no question without the stdio prompt tool (AskUserQuestion is not offered)", async () => {
    const t = await talk("ask me which colour: red or blue", allowAsIs, { args: STDIO.slice(0, 6) });
    expect(requests(t)).toHaveLength(0);
    expect(toolUses(t)).toHaveLength(0);
    expect(t.events[0]!.tools).not.toContain("AskUserQuestion");
  });

  test("SIGINT while asking: cancel, the rejected result, the interrupted marker; exit 0 with no result", async () => {
    const t = await talk("write a file named w.txt containing hello", () => "sigint");
    const [req] = requests(t);
    const i = t.events.indexOf(req!);
    const tail = t.events.slice(i + 1);
    expect(tail[0]).toEqual({ type: "control_cancel_request", request_id: req!.request_id });
    expect(tail[1]!.message.content[0]).toMatchObject({
      type: "tool_result",
      is_error: true,
      content: expect.stringContaining("doesn't want to proceed"),
    });
    expect(tail[2]!.message.content[0]).toEqual({ type: "text", text: "[Request interrupted by user for tool use]" });
    expect(tail).toHaveLength(3);
    expect(t.code).toBe(0);
    expect(fs.existsSync(path.join(t.cwd, "w.txt"))).toBe(false);
  });

  test("stdin closed while asking: denied, the turn ends with a result, exit 0", async () => {
    const t = await talk("write a file named w.txt containing hello", () => "eof");
    expect(toolResults(t)[0]!.message.content[0].content).toBe(
      "Tool permission request failed: AbortError: Tool permission stream closed before response received",
    );
    expect(result(t)).toMatchObject({ subtype: "success" });
    expect(t.code).toBe(0);
  });

  test("an interrupt control_request: cancel, its response, then error_during_execution, exit 1", async () => {
    const t = await talk("write a file named w.txt containing hello", () => "interrupt");
    const [req] = requests(t);
    const tail = t.events.slice(t.events.indexOf(req!) + 1);
    expect(tail[0]).toEqual({ type: "control_cancel_request", request_id: req!.request_id });
    expect(tail[1]).toEqual({
      type: "control_response",
      response: { subtype: "success", request_id: "int_1", response: { still_queued: [] } },
    });
    expect(result(t)).toMatchObject({ subtype: "error_during_execution", is_error: true, terminal_reason: "aborted_tools" });
    expect(t.code).toBe(1);
  });

  test("stdio without stream-json input: every ask fails as Stream closed, no request line", async () => {
    const cwd = freshDir();
    const args = ["-p", "--verbose", "--output-format", "stream-json", "--permission-prompt-tool", "stdio", "--", "run `touch z.txt`"];
    const t = await talk("", allowAsIs, { args, cwd });
    expect(requests(t)).toHaveLength(0);
    expect(toolResults(t)[0]!.message.content[0].content).toBe("Tool permission request failed: AbortError: Stream closed");
    expect(fs.existsSync(path.join(cwd, "z.txt"))).toBe(false);
  });

  test("MAESTRO_SIM_TRACE logs the request written and the answer read, and nothing else changes", async () => {
    const trace = path.join(world.root, "trace.jsonl");
    const t = await talk("write a file named w.txt containing hello", allowAsIs, { env: { MAESTRO_SIM_TRACE: trace } });
    const lines = fs
      .readFileSync(trace, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const id = requests(t)[0]!.request_id;
    expect(lines.map((l) => [l.ev, l.requestId])).toEqual([
      ["ask", id],
      ["reply", id],
    ]);
    expect(lines[1].t).toBeGreaterThanOrEqual(lines[0].t);
    expect(fs.existsSync(path.join(t.cwd, "w.txt"))).toBe(true);
  });
});
