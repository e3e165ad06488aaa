// Contract tests: the simulator prints each real CLI's batch-mode JSONL, in the real order.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIALECTS, allJson, byName, runSim, tempWorld, type Ev } from "./harness";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld();
});
afterAll(() => world.cleanup());

const TICK_PROMPT = "Do the first unchecked task in docs/plan.md and tick its box.";
const TEXT_PROMPT = "Say hello and describe yourself in one line.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function freshDir(name: string) {
  const dir = path.join(world.cwd, name);
  fs.mkdirSync(path.join(dir, "docs"), { recursive: true });
  fs.writeFileSync(path.join(dir, "docs", "plan.md"), "# Plan\n\n- [x] Set up\n- [ ] Write the README\n- [ ] Ship it\n");
  return dir;
}

const keys = (o: Ev) => Object.keys(o);

describe.concurrent.each(DIALECTS)("$name dialect", (d) => {
  test("a ticking turn: JSON lines, real order, real field names, one session id", async () => {
    const cwd = freshDir(`tick-${d.name}`);
    const r = await runSim(d.args(TICK_PROMPT, { write: true }), { cwd, home: world.home });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(allJson(r)).toBe(true);
    expect(r.events.map(d.sig)).toEqual(d.tickSeq);
    expect(d.isStart(r.events[0]!)).toBe(true);
    expect(r.events.filter(d.isFinal)).toHaveLength(1);
    const id = d.sessionId(r.events)!;
    expect(id).toBeTruthy();
    for (const ev of r.events) for (const x of d.idsOn(ev)) expect(x).toBe(id);
    expect(d.reply(r.events)).toMatch(/^Ticked task 'Write the README' in docs\/plan\.md\. .*This is turn 1 of this session\./);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toBe(
      "# Plan\n\n- [x] Set up\n- [x] Write the README\n- [ ] Ship it\n",
    );
    const ev = r.events;
    if (d.name === "claude") {
      expect(id).toMatch(UUID);
      expect(keys(ev[0]!).slice(0, 10)).toEqual([
        "type",
        "subtype",
        "cwd",
        "session_id",
        "tools",
        "mcp_servers",
        "model",
        "permissionMode",
        "slash_commands",
        "apiKeySource",
      ]);
      expect(ev[0]!.cwd).toBe(cwd);
      expect(ev[0]!.permissionMode).toBe("acceptEdits");
      expect(ev[0]!.slash_commands).toEqual(expect.arrayContaining(["compact", "context", "cost", "init", "review"]));
      const assistants = ev.filter((e) => e.type === "assistant");
      for (const a of assistants) {
        expect(keys(a)).toEqual(["type", "message", "parent_tool_use_id", "session_id", "uuid"]);
        expect(keys(a.message)).toEqual([
          "model",
          "id",
          "type",
          "role",
          "content",
          "stop_reason",
          "stop_sequence",
          "usage",
          "context_management",
        ]);
        expect(a.message.content).toHaveLength(1);
      }
      // one block per line; the same message id and identical usage on every line of a message
      const ids = [...new Set(assistants.map((a) => a.message.id))];
      expect(ids).toHaveLength(2);
      for (const mid of ids) {
        const same = assistants.filter((a) => a.message.id === mid);
        for (const a of same) expect(a.message.usage).toEqual(same[0]!.message.usage);
      }
      expect(ids[0]).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
      const toolUse = assistants[2]!.message.content[0];
      expect(toolUse).toMatchObject({
        type: "tool_use",
        name: "Edit",
        input: { file_path: path.join(cwd, "docs", "plan.md"), old_string: "- [ ] Write the README", new_string: "- [x] Write the README" },
      });
      const tr = ev[4]!.message.content[0];
      expect(tr).toMatchObject({ type: "tool_result", tool_use_id: toolUse.id });
      expect(tr.is_error).toBeUndefined();
      const res = ev[6]!;
      expect(keys(res)).toEqual([
        "type",
        "subtype",
        "is_error",
        "duration_ms",
        "duration_api_ms",
        "num_turns",
        "result",
        "session_id",
        "total_cost_usd",
        "usage",
        "modelUsage",
        "permission_denials",
        "uuid",
      ]);
      expect(res).toMatchObject({ subtype: "success", is_error: false, num_turns: 2, permission_denials: [] });
      expect(res.total_cost_usd).toBeGreaterThan(0);
      expect(keys(res.usage).slice(0, 4)).toEqual([
        "input_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "output_tokens",
      ]);
      const mu = res.modelUsage[ev[0]!.model];
      expect(mu).toMatchObject({ contextWindow: 200000 });
      expect(mu.costUSD).toBe(res.total_cost_usd);
      // result usage sums the two messages' usage
      const [u1, u2] = ids.map((mid) => assistants.find((a) => a.message.id === mid)!.message.usage);
      expect(res.usage.output_tokens).toBe(u1.output_tokens + u2.output_tokens);
      expect(res.usage.input_tokens).toBe(u1.input_tokens + u2.input_tokens);
    }
    if (d.name === "codex") {
      expect(id).toMatch(UUID7);
      expect(keys(ev[0]!)).toEqual(["type", "thread_id"]);
      expect(keys(ev[1]!)).toEqual(["type"]);
      expect(keys(ev[3]!.item)).toEqual(["id", "type", "command", "aggregated_output", "exit_code", "status"]);
      expect(ev[3]!.item).toMatchObject({ status: "in_progress", exit_code: null });
      expect(ev[4]!.item).toMatchObject({ id: ev[3]!.item.id, status: "completed", exit_code: 0 });
      expect(ev[4]!.item.aggregated_output).toContain("- [ ] Write the README");
      expect(keys(ev[5]!.item)).toEqual(["id", "type", "changes", "status"]);
      expect(ev[5]!.item).toMatchObject({ status: "completed", changes: [{ path: path.join(cwd, "docs", "plan.md"), kind: "update" }] });
      const itemIds = ev.filter((e) => e.item).map((e) => e.item.id);
      expect(new Set(itemIds).size).toBe(itemIds.length - 1); // started+completed share one id
      expect(keys(ev[7]!.usage)).toEqual(["input_tokens", "cached_input_tokens", "output_tokens"]);
      expect(ev[7]!.usage.output_tokens).toBeGreaterThan(0);
    }
    if (d.name === "opencode") {
      expect(id).toMatch(/^ses_[0-9a-f]{12}[0-9A-Za-z]{14}$/);
      for (const e of ev) expect(keys(e).slice(0, 3)).toEqual(["type", "timestamp", "sessionID"]);
      expect(keys(ev[0]!.part)).toEqual(["id", "sessionID", "messageID", "type", "snapshot"]);
      expect(ev[0]!.part.type).toBe("step-start");
      const tool = ev[2]!.part;
      expect(tool).toMatchObject({
        type: "tool",
        tool: "edit",
        state: { status: "completed", input: { filePath: path.join(cwd, "docs", "plan.md"), oldString: "- [ ] Write the README" } },
      });
      expect(keys(tool.state)).toEqual(["status", "input", "output", "title", "metadata", "time"]);
      const fin = ev[6]!.part;
      expect(keys(fin)).toEqual(["id", "sessionID", "messageID", "type", "reason", "snapshot", "cost", "tokens"]);
      expect(fin).toMatchObject({ type: "step-finish", reason: "stop" });
      expect(keys(fin.tokens)).toEqual(["input", "output", "reasoning", "cache"]);
      expect(keys(fin.tokens.cache)).toEqual(["read", "write"]);
      expect(ev[3]!.part.reason).toBe("tool-calls");
      // two steps, two assistant messages
      expect(ev[0]!.part.messageID).not.toBe(ev[4]!.part.messageID);
      expect(ev[5]!.part.messageID).toBe(ev[4]!.part.messageID);
      expect(ev[5]!.part.time.end).toBeGreaterThanOrEqual(ev[5]!.part.time.start);
    }
    if (d.name === "gemini") {
      expect(id).toMatch(UUID);
      expect(keys(ev[0]!)).toEqual(["type", "timestamp", "session_id", "model"]);
      expect(ev[1]).toMatchObject({ type: "message", role: "user", content: TICK_PROMPT });
      expect(keys(ev[2]!)).toEqual(["type", "timestamp", "role", "content", "delta"]);
      expect(ev[2]!.delta).toBe(true);
      expect(keys(ev[3]!)).toEqual(["type", "timestamp", "tool_name", "tool_id", "parameters"]);
      expect(ev[3]).toMatchObject({ tool_name: "replace", parameters: { file_path: path.join(cwd, "docs", "plan.md") } });
      expect(keys(ev[4]!)).toEqual(["type", "timestamp", "tool_id", "status", "output"]);
      expect(ev[4]).toMatchObject({ tool_id: ev[3]!.tool_id, status: "success" });
      const res = ev[ev.length - 1]!;
      expect(keys(res)).toEqual(["type", "timestamp", "status", "stats"]);
      expect(res.status).toBe("success");
      expect(keys(res.stats)).toEqual(["total_tokens", "input_tokens", "output_tokens", "cached", "input", "duration_ms", "tool_calls"]);
      expect(res.stats.tool_calls).toBe(1);
      expect(res.stats.total_tokens).toBe(res.stats.input_tokens + res.stats.output_tokens);
      expect(new Date(res.timestamp).getTime()).toBeGreaterThan(0);
    }
  });

  test("a text-only turn: deterministic token counts of about chars/4", async () => {
    const cwd = freshDir(`text-${d.name}`);
    const a = await runSim(d.args(TEXT_PROMPT), { cwd, home: world.home });
    const b = await runSim(d.args(TEXT_PROMPT), { cwd, home: world.home });
    expect(a.code).toBe(0);
    expect(a.events.map(d.sig)).toEqual(d.textSeq);
    expect(d.sessionId(a.events)).not.toBe(d.sessionId(b.events));
    const want = Math.ceil(TEXT_PROMPT.length / 4);
    const fin = (r: typeof a) => r.events.filter(d.isFinal)[0]!;
    if (d.name === "claude") {
      expect(fin(a).usage.input_tokens).toBe(want);
      expect(fin(a).usage.output_tokens).toBe(fin(b).usage.output_tokens);
    } else if (d.name === "codex") {
      expect(fin(a).usage).toEqual(fin(b).usage);
      expect(fin(a).usage.input_tokens).toBe(want);
      expect(fin(a).usage.cached_input_tokens).toBe(0);
    } else if (d.name === "opencode") {
      expect(fin(a).part.tokens).toEqual(fin(b).part.tokens);
      expect(fin(a).part.tokens.input).toBe(want);
      expect(fin(a).part.cost).toBeGreaterThan(0);
    } else {
      const { duration_ms: _x, ...sa } = fin(a).stats;
      const { duration_ms: _y, ...sb } = fin(b).stats;
      expect(sa).toEqual(sb);
      expect(sa.input_tokens).toBe(want);
    }
    expect(d.reply(a.events)).toContain("Answered without changing any file in the folder. This is turn 1 of this session.");
  });

  test("resume keeps the session id and counts the turn", async () => {
    const cwd = freshDir(`resume-${d.name}`);
    const one = await runSim(d.args(TEXT_PROMPT), { cwd, home: world.home });
    const id = d.sessionId(one.events)!;
    const two = await runSim(d.args("And again, please.", { resume: id }), { cwd, home: world.home });
    expect(two.stderr).toBe("");
    expect(two.code).toBe(0);
    expect(d.sessionId(two.events)).toBe(id);
    for (const ev of two.events) for (const x of d.idsOn(ev)) expect(x).toBe(id);
    expect(d.reply(two.events)).toContain("This is turn 2 of this session.");
    const three = await runSim(d.args("Third time.", { resume: id }), { cwd, home: world.home });
    expect(d.reply(three.events)).toContain("This is turn 3 of this session.");
    const rec = JSON.parse(fs.readFileSync(path.join(world.home, "sessions", `${id}.json`), "utf8"));
    expect(rec.turns.map((t: Ev) => t.n)).toEqual([1, 2, 3]);
    expect(rec.turns[1].prompt).toBe("And again, please.");
    if (d.name === "codex") expect(two.events.at(-1)!.usage.cached_input_tokens).toBeGreaterThan(0);
    if (d.name === "claude") expect(two.events.at(-1)!.usage.cache_read_input_tokens).toBeGreaterThan(0);
  });

  test("an unknown resume id fails the way the real CLI does", async () => {
    const cwd = freshDir(`unknown-${d.name}`);
    const bogus =
      d.name === "opencode"
        ? "ses_0000000000000000000000000a"
        : d.name === "codex"
          ? "01999999-0000-7000-8000-000000000000"
          : "11111111-2222-4333-8444-555555555555";
    const r = await runSim(d.args("hello", { resume: bogus }), { cwd, home: world.home });
    if (d.name === "claude") {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`No conversation found with session ID: ${bogus}\n`);
      expect(r.stdout).toBe("");
    } else if (d.name === "opencode") {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Session not found");
      expect(r.stdout).toBe("");
    } else if (d.name === "gemini") {
      expect(r.code).toBe(42);
      expect(r.stderr).toContain(`Invalid session identifier "${bogus}"`);
      expect(r.stdout).toBe("");
    } else {
      // codex exec resume with an id it cannot find starts a fresh thread
      expect(r.code).toBe(0);
      const id = d.sessionId(r.events);
      expect(id).toMatch(UUID7);
      expect(id).not.toBe(bogus);
      expect(d.reply(r.events)).toContain("This is turn 1 of this session.");
    }
  });
});

describe.concurrent("invocation details", () => {
  test("claude: stream-json without --verbose is refused like the real CLI", async () => {
    const r = await runSim(["-p", "--output-format", "stream-json", "--", "hi"], { cwd: world.cwd, home: world.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: When using --print, --output-format=stream-json requires --verbose\n");
    expect(r.stdout).toBe("");
  });

  test("unknown flags are rejected with each CLI's parser error and status", async () => {
    const cases: [string[], number, RegExp][] = [
      [["--dialect", "claude", "-p", "--verbose", "--bogus", "--", "hi"], 1, /^error: unknown option '--bogus'/],
      [["--dialect", "codex", "exec", "--json", "--bogus", "--", "hi"], 2, /^error: unexpected argument '--bogus' found/],
      [["--dialect", "opencode", "run", "--format", "json", "--bogus", "--", "hi"], 1, /Unknown argument: bogus/],
      [["--dialect", "gemini", "-p", "hi", "--bogus"], 1, /Unknown arguments: bogus/],
      [["--dialect", "klingon", "hi"], 2, /unknown dialect 'klingon'/],
    ];
    for (const [args, code, err] of cases) {
      const r = await runSim(args, { cwd: world.cwd, home: world.home });
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).toMatch(err);
      expect(r.stdout).toBe("");
    }
  });

  test("codex: -C changes the working folder; exec resume rejects --sandbox after resume", async () => {
    const cwd = freshDir("codex-C");
    const r = await runSim(
      ["--dialect", "codex", "-C", cwd, "exec", "--json", "--skip-git-repo-check", "-s", "workspace-write", "--", TICK_PROMPT],
      {
        cwd: world.root,
        home: world.home,
      },
    );
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8")).toContain("- [x] Write the README");
    const bad = await runSim(
      ["--dialect", "codex", "exec", "--json", "--skip-git-repo-check", "resume", "x", "--sandbox", "read-only", "hi"],
      { cwd, home: world.home },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unexpected argument '--sandbox'/);
    const noGit = await runSim(["--dialect", "codex", "exec", "--json", "--", "hi"], { cwd: world.root, home: world.home });
    expect(noGit.code).toBe(1);
    expect(noGit.stderr).toContain("--skip-git-repo-check was not specified");
  });

  test("continue the newest session: opencode --continue, codex exec resume --last, claude --continue", async () => {
    const cases: [string, (n: number) => string[]][] = [
      ["opencode", (n) => ["--dialect", "opencode", "run", "--format", "json", ...(n > 1 ? ["--continue"] : []), "--", "hello"]],
      [
        "codex",
        (n) => ["--dialect", "codex", "exec", "--json", "--skip-git-repo-check", ...(n > 1 ? ["resume", "--last"] : []), "--", "hello"],
      ],
      ["claude", (n) => ["-p", "--verbose", "--output-format", "stream-json", ...(n > 1 ? ["--continue"] : []), "--", "hello"]],
    ];
    for (const [name, args] of cases) {
      const d = byName(name as "opencode" | "codex" | "claude");
      const cwd = freshDir(`continue-${name}`);
      const one = await runSim(args(1), { cwd, home: world.home });
      const two = await runSim(args(2), { cwd, home: world.home });
      expect(two.code, name).toBe(0);
      expect(d.sessionId(two.events), name).toBe(d.sessionId(one.events));
      expect(d.reply(two.events), name).toContain("This is turn 2 of this session.");
    }
  });

  test("claude --session-id starts a session with that id, and refuses to reuse it", async () => {
    const sid = "0b0c0d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    const r = await runSim(byName("claude").args("hi", { extra: ["--session-id", sid] }), { cwd: world.cwd, home: world.home });
    expect(r.code).toBe(0);
    expect(r.events.every((e) => e.session_id === sid)).toBe(true);
    const again = await runSim(byName("claude").args("hi", { extra: ["--session-id", sid] }), { cwd: world.cwd, home: world.home });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error: Session ID ${sid} is already in use.\n`);
    const resumed = await runSim(byName("claude").args("hi", { resume: sid }), { cwd: world.cwd, home: world.home });
    expect(byName("claude").reply(resumed.events)).toContain("This is turn 2 of this session.");
  });

  test("claude --input-format stream-json reads user messages (text and images) from stdin", async () => {
    const msg = (text: string, images = 0) =>
      JSON.stringify({
        type: "user",
        message: {
          role: "user",
          content: [
            { type: "text", text },
            ...Array.from({ length: images }, () => ({
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
            })),
          ],
        },
      });
    const r = await runSim(["-p", "--verbose", "--output-format", "stream-json", "--input-format", "stream-json"], {
      cwd: world.cwd,
      home: world.home,
      input: msg("Look at this picture", 2) + "\n" + msg("And this one") + "\n",
    });
    expect(r.code).toBe(0);
    expect(r.events.map((e) => e.type)).toEqual(["system", "assistant", "assistant", "result", "assistant", "assistant", "result"]);
    const results = r.events.filter((e) => e.type === "result");
    expect(results[0]!.result).toContain("I received 2 images with the prompt.");
    expect(results[0]!.result).toContain('Prompt: "Look at this picture"');
    expect(results[1]!.result).toContain("This is turn 2 of this session.");
    expect(new Set(r.events.map((e) => e.session_id)).size).toBe(1);
  });

  test("opencode reads the prompt from stdin when no words are given; codex too", async () => {
    const cwd = freshDir("stdin");
    const oc = await runSim(["--dialect", "opencode", "run", "--format", "json"], { cwd, home: world.home, input: TICK_PROMPT + "\n" });
    expect(oc.code).toBe(0);
    expect(byName("opencode").reply(oc.events)).toMatch(/^Ticked task 'Write the README'/);
    const cx = await runSim(["--dialect", "codex", "exec", "--json", "--skip-git-repo-check", "-s", "workspace-write"], {
      cwd,
      home: world.home,
      input: TICK_PROMPT,
    });
    expect(cx.code).toBe(0);
    expect(byName("codex").reply(cx.events)).toMatch(/^Ticked task 'Ship it'/);
    const none = await runSim(["--dialect", "opencode", "run", "--format", "json"], { cwd, home: world.home, input: "" });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("You must provide a message or a command");
  });

  test("opencode quotes an argv word that holds spaces, as the real CLI does", async () => {
    const r = await runSim(["--dialect", "opencode", "run", "--format", "json", "--", "say", "hello world"], {
      cwd: world.cwd,
      home: world.home,
    });
    expect(byName("opencode").reply(r.events)).toContain('Prompt: "say "hello world""');
  });

  test.runIf(process.getuid?.() === 0)("claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1", async () => {
    const args = byName("claude").args("hi", { extra: ["--dangerously-skip-permissions"] });
    const r = await runSim(args, { cwd: world.cwd, home: world.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot be used with root/sudo privileges");
    const ok = await runSim(args, { cwd: world.cwd, home: world.home, env: { IS_SANDBOX: "1" } });
    expect(ok.code).toBe(0);
    expect(ok.events[0]!.permissionMode).toBe("bypassPermissions");
  });

  test("--version prints each CLI's version line", async () => {
    const r = await runSim(["--dialect", "codex", "--version"], { cwd: world.cwd, home: world.home });
    expect(r.stdout).toMatch(/^codex-cli \d+\.\d+\.\d+\n$/);
  });
});
