/**
 * Real `claude` (@anthropic-ai/claude-code, pinned in tools.json) through Maestro's claude
 * adapter and turn runner, against the scripted Anthropic Messages server.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { describeCli, describeTurn, useWorld, xdgEnv, type World } from "./harness";
import { anthropicToolResults, startAnthropicServer } from "./servers/anthropic";
import { allText, messageText } from "./servers/common";

const MODEL = "claude-sonnet-4-5";
// Claude Code prices claude-sonnet-4-5 at $3 / $15 per million input / output tokens; every
// scripted reply reports 100 input and 20 output tokens, so one reply costs 0.0006 USD. These are
// the exact floats claude prints in total_cost_usd (its arithmetic: tokens / 1e6 * price).
const ONE_REPLY_USD = 0.0006000000000000001;
const TWO_REPLIES_USD = 0.0012000000000000001;

const anyId = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}`));
const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

function settings(w: World, binary: string, extra: Record<string, unknown> = {}) {
  return {
    binaryPath: binary,
    model: MODEL,
    env: {
      ...xdgEnv(w.home),
      CLAUDE_CONFIG_DIR: path.join(w.home, ".claude"),
      ANTHROPIC_BASE_URL: w.server.url,
      ANTHROPIC_API_KEY: "sk-ant-conformance",
      ANTHROPIC_AUTH_TOKEN: "",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    ...extra,
  };
}

/** The events of a turn whose model answered once with `text`. */
function textTurnEvents(prompt: string, sessionId: unknown, text: string, reported: unknown = { costUsd: ONE_REPLY_USD }) {
  return [
    { type: "prompt", prompt, images: 0 },
    { type: "session", sessionId, model: MODEL, slashCommands: expect.any(Array) },
    { type: "text", text, messageId: anyId("msg_conf") },
    // The assistant line repeats message_start's usage (output_tokens 1 while streaming)…
    { type: "usage", inputTokens: 100, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
    // …and the result's totals add the rest, with the cost and the model's context window.
    {
      type: "usage",
      inputTokens: 0,
      outputTokens: 19,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: ONE_REPLY_USD,
      contextWindow: 200_000,
    },
    { type: "done", ok: true, result: text, durationMs: expect.any(Number), totalCostUsd: ONE_REPLY_USD, numTurns: 1, reported },
    { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 100, outputTokens: 20, costUsd: ONE_REPLY_USD },
  ];
}

describeCli("claude", (binary) => {
  const w = useWorld("claude", startAnthropicServer);
  let first: { tabId: string; sessionId: string; prompt: string; reply: string } | undefined;

  test("a text turn", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const prompt = "Say hello to the conformance suite";
    const reply = "Hello from the scripted model.";
    w.server.script({ text: reply });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const sessionId = (r.events.find((e) => e.type === "session")?.sessionId ?? "") as string;
    expect(sessionId).toEqual(UUID);
    expect(r.events).toEqual(textTurnEvents(prompt, sessionId, reply));
    expect(r.turn).toMatchObject({ inputTokens: 100, outputTokens: 20, errorKind: null, errorMessage: null });
    expect(r.turn.costUsd).toBeCloseTo(ONE_REPLY_USD, 12);
    expect((await w.services.tabs.byId(tabId)).providerSessionId).toBe(sessionId);
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(1);
    expect((main[0]!.body as any).model).toBe(MODEL);
    expect(allText((main[0]!.body as any).messages)).toContain(prompt);
    // It works in the agent's folder: the CLI told the model so.
    expect(allText((main[0]!.body as any).messages)).toContain(w.project);
    expect(w.server.problems).toEqual([]);
    first = { tabId, sessionId, prompt, reply };
  });

  test("a turn where the model writes a file with its Write tool, then answers", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const file = path.join(w.project, "hello-claude.txt");
    const content = "written by claude\nthrough the Write tool\n";
    const prompt = "Create hello-claude.txt";
    w.server.script({ writeFile: { path: file, content } }, { text: "I wrote hello-claude.txt." });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.readFileSync(file, "utf8")).toBe(content);

    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(2);
    const call = main[0]!.toolCall!;
    expect(call.name).toBe("Write");
    // The tool's result went back to the model in the next request.
    const results = anthropicToolResults(main[1]!.body);
    expect(results).toEqual([
      { toolUseId: call.callId, content: expect.stringContaining(`File created successfully at: ${file}`), isError: false },
    ]);

    const sessionId = r.events.find((e) => e.type === "session")?.sessionId;
    expect(sessionId).toEqual(UUID);
    const twoReplies = TWO_REPLIES_USD;
    expect(r.events).toEqual([
      { type: "prompt", prompt, images: 0 },
      { type: "session", sessionId, model: MODEL, slashCommands: expect.any(Array) },
      { type: "tool_call", id: call.callId, name: "Write", input: { file_path: file, content }, status: "running" },
      { type: "usage", inputTokens: 100, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      // (the model also got a <system-reminder> appended to this result; the UI shows claude's own text)
      {
        type: "tool_result",
        id: call.callId,
        output: `File created successfully at: ${file} (file state is current in your context — no need to Read it back)`,
        isError: false,
      },
      { type: "text", text: "I wrote hello-claude.txt.", messageId: anyId("msg_conf") },
      { type: "usage", inputTokens: 100, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      {
        type: "usage",
        inputTokens: 0,
        outputTokens: 38,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: twoReplies,
        contextWindow: 200_000,
      },
      {
        type: "done",
        ok: true,
        result: "I wrote hello-claude.txt.",
        durationMs: expect.any(Number),
        totalCostUsd: twoReplies,
        numTurns: 2,
        reported: { costUsd: twoReplies },
      },
      { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 200, outputTokens: 40, costUsd: twoReplies },
    ]);
    expect(r.turn).toMatchObject({ inputTokens: 200, outputTokens: 40 });
    expect(r.turn.costUsd).toBeCloseTo(twoReplies, 12);
    expect(w.server.problems).toEqual([]);
  });

  test("a second prompt in the same tab resumes the session", async () => {
    expect(first, "the text turn must have passed first").toBeDefined();
    const prompt = "And now a follow-up";
    const reply = "Follow-up answer.";
    w.server.script({ text: reply });
    const r = await w.runTurn(first!.tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    // Same events as a first turn, on the same session; the costs are checked below.
    const costs = (events: Record<string, unknown>[]) =>
      events.map((e) => ({
        ...e,
        ...("costUsd" in e ? { costUsd: expect.any(Number) } : {}),
        ...("totalCostUsd" in e ? { totalCostUsd: expect.any(Number) } : {}),
      }));
    // What claude reports is the session's total (kept per tab as the next baseline).
    expect(r.events).toEqual(costs(textTurnEvents(prompt, first!.sessionId, reply, { costUsd: expect.any(Number) })));
    expect((await w.services.tabs.byId(first!.tabId)).providerSessionId).toBe(first!.sessionId);
    // The model saw the earlier conversation: the first prompt and reply come before the new one.
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(1);
    const messages = (main[0]!.body as any).messages as { role: string; content: unknown }[];
    const said = messages.map((m) => `${m.role}: ${messageText(m.content)}`).join("\n");
    expect(said).toContain(first!.prompt);
    expect(said).toContain(`assistant: ${first!.reply}`);
    expect(said.indexOf(first!.prompt)).toBeLessThan(said.lastIndexOf(prompt));
    expect(w.server.problems).toEqual([]);
    expect(r.turn).toMatchObject({ inputTokens: 100, outputTokens: 20 });
    // This turn made one 100-in / 20-out request, so it cost what the first turn cost. Claude Code
    // 2.1.330 (checked here) restores the resumed session's totals: its result's total_cost_usd is the
    // whole session's (0.0012…) while its usage is this turn's. The turn must show its own cost.
    const turnEnd = r.events.at(-1)!;
    expect
      .soft(turnEnd.costUsd, "turn_end.costUsd of a resumed turn (claude's total_cost_usd is session-cumulative on --resume)")
      .toBeCloseTo(ONE_REPLY_USD, 12);
    expect.soft(r.turn.costUsd, "Turn.costUsd of a resumed turn").toBeCloseTo(ONE_REPLY_USD, 12);
  });

  test("as root with the agent marked a sandbox: skip-permissions with IS_SANDBOX=1 runs", async () => {
    const { tabId } = await w.newTab(settings(w, binary, { isSandbox: true }));
    const file = path.join(w.project, "sandboxed.txt");
    w.server.script({ writeFile: { path: file, content: "sandboxed\n" } }, { text: "Done in the sandbox." });
    const r = await w.runTurn(tabId, "Write sandboxed.txt");
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.readFileSync(file, "utf8")).toBe("sandboxed\n");
    expect(r.events.filter((e) => e.type === "error")).toEqual([]);
    expect(w.server.problems).toEqual([]);
  });

  // ── Approvals: the control protocol (--permission-prompt-tool stdio), the permission mode "ask" ──

  const OWNER = { kind: "owner" as const, id: "conformance-device", label: "Conformance phone" };
  const ask = () => settings(w, binary, { permissionMode: "ask" });
  /** The first request waiting for a person in this agent, once it is there. */
  async function pendingOf(agentId: string) {
    const end = Date.now() + 60_000;
    for (;;) {
      const [p] = await w.services.approvals.pending({ agentId });
      if (p) return p;
      if (Date.now() > end) throw new Error("no approval request reached the service");
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const approvalEvents = (r: { events: Record<string, unknown>[] }) => r.events.filter((e) => String(e.type).startsWith("approval"));

  test("approvals: the model asks for Bash; the request reaches the service; allow → the command runs, its result reaches the model", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    const file = path.join(w.project, "asked.txt");
    w.server.script(
      { toolUse: { name: "Bash", input: { command: "touch asked.txt", description: "Create asked.txt" } } },
      { text: "Created it." },
    );
    const turn = await w.startTurn(tabId, "Create asked.txt with touch");
    const p = await pendingOf(agentId);
    expect(p).toMatchObject({ toolName: "Bash", kind: "tool", input: { command: "touch asked.txt" }, actions: true });
    // The CLI's own suggestion, reduced to its rule.
    expect(p.suggestedRule).toMatch(/^Bash\(touch/);
    expect((await w.services.agents.byId(agentId)).status).toBe("waiting");
    expect(fs.existsSync(file)).toBe(false);
    await w.services.approvals.answer({ approvalId: p.id, decision: "allow" }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.existsSync(file)).toBe(true);
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(2);
    const call = main[0]!.toolCall!;
    expect(anthropicToolResults(main[1]!.body)).toEqual([{ toolUseId: call.callId, content: expect.any(String), isError: false }]);
    expect(approvalEvents(r)).toEqual([
      expect.objectContaining({ type: "approval", approvalId: p.id, toolUseId: call.callId, toolName: "Bash", kind: "tool" }),
      { type: "approval_decision", approvalId: p.id, status: "allowed", by: "Conformance phone" },
    ]);
    expect(r.events.filter((e) => e.type === "error")).toEqual([]);
    expect((await w.services.agents.byId(agentId)).status).toBe("idle");
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: deny with a reason → the model receives the reason; nothing runs; the turn goes on", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    const file = path.join(w.project, "denied.txt");
    w.server.script(
      { toolUse: { name: "Bash", input: { command: "touch denied.txt", description: "Create denied.txt" } } },
      { text: "Understood." },
    );
    const turn = await w.startTurn(tabId, "Create denied.txt with touch");
    const p = await pendingOf(agentId);
    await w.services.approvals.answer({ approvalId: p.id, decision: "deny", message: "Not in this repository, please." }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.existsSync(file)).toBe(false);
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(2);
    expect(anthropicToolResults(main[1]!.body)).toEqual([
      { toolUseId: main[0]!.toolCall!.callId, content: expect.stringContaining("Not in this repository, please."), isError: true },
    ]);
    // A denial is the person's answer: no "turn on auto-approve" error.
    expect(r.events.filter((e) => e.type === "error")).toEqual([]);
    expect(r.events.at(-2)).toMatchObject({ type: "done", ok: true, result: "Understood." });
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: an AskUserQuestion round trip", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    const question = "Which colour should the button be?";
    const input = {
      questions: [
        {
          question,
          header: "Colour",
          options: [
            { label: "Red", description: "A red button" },
            { label: "Blue", description: "A blue button" },
          ],
          multiSelect: false,
        },
      ],
    };
    w.server.script({ toolUse: { name: "AskUserQuestion", input } }, { text: "Blue it is." });
    const turn = await w.startTurn(tabId, "Ask me which colour");
    const p = await pendingOf(agentId);
    expect(p).toMatchObject({ toolName: "AskUserQuestion", kind: "question", actions: false, noAlwaysAllow: true, input });
    await w.services.approvals.answer({ approvalId: p.id, decision: "allow", answers: { [question]: "Blue" } }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const main = r.requests.filter((q) => q.kind === "main");
    expect(main).toHaveLength(2);
    expect(anthropicToolResults(main[1]!.body)).toEqual([
      { toolUseId: main[0]!.toolCall!.callId, content: expect.stringContaining(`"${question}"="Blue"`), isError: false },
    ]);
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: an always-allow rule (Bash(touch:*)) goes to --allowedTools: no request, the command runs", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    await w.services.approvals.rules.add({ agentId, rule: "Bash(touch:*)" });
    const file = path.join(w.project, "ruled.txt");
    w.server.script(
      { toolUse: { name: "Bash", input: { command: "touch ruled.txt", description: "Create ruled.txt" } } },
      { text: "Done by rule." },
    );
    const r = await w.runTurn(tabId, "Create ruled.txt with touch");
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.existsSync(file)).toBe(true);
    expect(approvalEvents(r)).toEqual([]);
    expect(await w.services.db.approval.count({ where: { agentId } })).toBe(0);
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: Always allow sends a session rule: the next matching call in the same turn does not ask", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    w.server.script(
      { toolUse: { name: "Bash", input: { command: "touch first.txt", description: "first" } } },
      { toolUse: { name: "Bash", input: { command: "touch second.txt", description: "second" } } },
      { text: "Both done." },
    );
    const turn = await w.startTurn(tabId, "Create two files with touch");
    const p = await pendingOf(agentId);
    await w.services.approvals.answer({ approvalId: p.id, decision: "always", rule: "Bash(touch:*)" }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.existsSync(path.join(w.project, "first.txt")) && fs.existsSync(path.join(w.project, "second.txt"))).toBe(true);
    expect(approvalEvents(r).map((e) => e.type)).toEqual(["approval", "approval_decision"]);
    expect((await w.services.approvals.rules.list({ agentId })).map((x) => x.rule)).toEqual(["Bash(touch:*)"]);
    // The session rule is the CLI's only: nothing was written into the project's settings.
    expect(fs.existsSync(path.join(w.project, ".claude", "settings.local.json"))).toBe(false);
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: Stop while waiting → the turn is stopped, the request cancelled, a late answer conflicts", async () => {
    const { agentId, tabId } = await w.newTab(ask());
    w.server.script({ toolUse: { name: "Bash", input: { command: "touch stopped.txt", description: "stop" } } }, { text: "never" });
    const turn = await w.startTurn(tabId, "Create stopped.txt with touch");
    const p = await pendingOf(agentId);
    await w.services.turns.stop(tabId);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("stopped");
    expect(fs.existsSync(path.join(w.project, "stopped.txt"))).toBe(false);
    expect(approvalEvents(r)).toEqual([
      expect.objectContaining({ type: "approval" }),
      expect.objectContaining({ type: "approval_decision", status: "cancelled" }),
    ]);
    await expect(w.services.approvals.answer({ approvalId: p.id, decision: "allow" }, OWNER)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await w.services.agents.byId(agentId)).status).toBe("idle");
  });

  test("approvals: accept edits → a Write in the project goes ahead unasked, a command still asks", async () => {
    const { agentId, tabId } = await w.newTab(settings(w, binary, { permissionMode: "acceptEdits" }));
    const file = path.join(w.project, "edited.txt");
    w.server.script(
      { writeFile: { path: file, content: "accepted\n" } },
      { toolUse: { name: "Bash", input: { command: "npm run build", description: "Build" } } },
      { text: "Wrote it; the build was refused." },
    );
    const turn = await w.startTurn(tabId, "Write edited.txt, then build");
    const p = await pendingOf(agentId);
    expect(fs.readFileSync(file, "utf8")).toBe("accepted\n");
    expect(p).toMatchObject({ toolName: "Bash", input: { command: "npm run build" } });
    await w.services.approvals.answer({ approvalId: p.id, decision: "deny", message: "No builds now." }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(approvalEvents(r).map((e) => e.type)).toEqual(["approval", "approval_decision"]);
    expect(w.server.problems).toEqual([]);
  });

  test("approvals: bypass runs commands unasked, and a question still reaches the person", async () => {
    const { agentId, tabId } = await w.newTab(settings(w, binary, { permissionMode: "bypass", isSandbox: true }));
    const question = "Ship it now?";
    w.server.script(
      { toolUse: { name: "Bash", input: { command: "touch bypassed.txt", description: "bypass" } } },
      {
        toolUse: {
          name: "AskUserQuestion",
          input: {
            questions: [
              {
                question,
                header: "Ship",
                options: [
                  { label: "Yes", description: "now" },
                  { label: "No", description: "later" },
                ],
                multiSelect: false,
              },
            ],
          },
        },
      },
      { text: "Shipping later." },
    );
    const turn = await w.startTurn(tabId, "Touch a file, then ask me");
    const p = await pendingOf(agentId);
    expect(p).toMatchObject({ toolName: "AskUserQuestion", kind: "question" });
    expect(fs.existsSync(path.join(w.project, "bypassed.txt"))).toBe(true);
    await w.services.approvals.answer({ approvalId: p.id, decision: "allow", answers: { [question]: "No" } }, OWNER);
    const r = await turn.finish();
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const main = r.requests.filter((q) => q.kind === "main");
    expect(anthropicToolResults(main[2]!.body).at(-1)).toMatchObject({
      content: expect.stringContaining(`"${question}"="No"`),
      isError: false,
    });
    expect(w.server.problems).toEqual([]);
  });
});
