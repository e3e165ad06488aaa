// Claude Code: `claude -p --verbose --output-format stream-json …` (stream-json / SDK message shapes).
import { parseArgv } from "../args.mjs";
import { anthropicMessageId, anthropicToolUseId, isUuid, uuidV4 } from "../ids.mjs";
import { resetTime } from "../faults.mjs";
import { chunk, preambleText, replyText, runAction, showsTools, thinkingText, tokens } from "../turn.mjs";

export const name = "claude";
export const version = "2.1.117 (Claude Code)";

const VERSION = "2.1.117";
const DEFAULT_MODEL = "claude-sonnet-4-5-20250929";
/** @type {Record<string, string>} */
const ALIASES = {
  sonnet: DEFAULT_MODEL,
  opus: "claude-opus-4-5-20251101",
  haiku: "claude-haiku-4-5-20251001",
  opusplan: DEFAULT_MODEL,
};
const TOOLS = ["Task", "Bash", "Glob", "Grep", "ExitPlanMode", "Read", "Edit", "Write", "NotebookEdit", "WebFetch", "TodoWrite", "WebSearch", "BashOutput", "KillShell", "Skill", "SlashCommand"];
const SLASH_COMMANDS = ["compact", "context", "cost", "init", "output-style:new", "pr-comments", "release-notes", "todos", "review", "security-review"];
const PERMISSION_MODES = ["acceptEdits", "bypassPermissions", "default", "dontAsk", "plan"];

/** @type {import("../args.mjs").OptSpec[]} */
const SPECS = [
  { key: "print", flags: ["-p", "--print"] },
  { key: "verbose", flags: ["--verbose"] },
  { key: "debug", flags: ["-d", "--debug"] },
  { key: "outputFormat", flags: ["--output-format"], value: true },
  { key: "inputFormat", flags: ["--input-format"], value: true },
  { key: "resume", flags: ["-r", "--resume"], value: true },
  { key: "continue", flags: ["-c", "--continue"] },
  { key: "sessionId", flags: ["--session-id"], value: true },
  { key: "forkSession", flags: ["--fork-session"] },
  { key: "model", flags: ["--model"], value: true },
  { key: "fallbackModel", flags: ["--fallback-model"], value: true },
  { key: "permissionMode", flags: ["--permission-mode"], value: true },
  { key: "skipPermissions", flags: ["--dangerously-skip-permissions"] },
  { key: "allowSkipPermissions", flags: ["--allow-dangerously-skip-permissions"] },
  { key: "appendSystemPrompt", flags: ["--append-system-prompt"], value: true },
  { key: "systemPrompt", flags: ["--system-prompt"], value: true },
  { key: "allowedTools", flags: ["--allowedTools", "--allowed-tools"], value: true, multi: true },
  { key: "disallowedTools", flags: ["--disallowedTools", "--disallowed-tools"], value: true, multi: true },
  { key: "mcpConfig", flags: ["--mcp-config"], value: true, multi: true },
  { key: "strictMcpConfig", flags: ["--strict-mcp-config"] },
  { key: "maxTurns", flags: ["--max-turns"], value: true },
  { key: "settings", flags: ["--settings"], value: true },
  { key: "settingSources", flags: ["--setting-sources"], value: true },
  { key: "addDir", flags: ["--add-dir"], value: true, multi: true },
  { key: "agents", flags: ["--agents"], value: true },
  { key: "permissionPromptTool", flags: ["--permission-prompt-tool"], value: true },
  { key: "includePartialMessages", flags: ["--include-partial-messages"] },
  { key: "replayUserMessages", flags: ["--replay-user-messages"] },
  { key: "maxBudgetUsd", flags: ["--max-budget-usd"], value: true },
  { key: "jsonSchema", flags: ["--json-schema"], value: true },
];

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @param {string} cwd
 * @returns {import("../turn.mjs").Invocation | {error: string, code: number}}
 */
export function parse(argv, env, cwd) {
  const p = parseArgv(argv, SPECS);
  if (p.unknown) return { error: `error: unknown option '${p.unknown.split("=")[0]}'\n`, code: 1 };
  if (p.missingValue) return { error: `error: option '${p.missingValue}' argument missing\n`, code: 1 };
  const o = p.opts;
  const fmt = o.outputFormat ?? "text";
  if (!["text", "json", "stream-json"].includes(fmt))
    return { error: `error: option '--output-format <format>' argument '${fmt}' is invalid. Allowed choices are text, json, stream-json.\n`, code: 1 };
  const inFmt = o.inputFormat ?? "text";
  if (!["text", "stream-json"].includes(inFmt))
    return { error: `error: option '--input-format <format>' argument '${inFmt}' is invalid. Allowed choices are text, stream-json.\n`, code: 1 };
  if (o.permissionMode !== undefined && !PERMISSION_MODES.includes(o.permissionMode))
    return { error: `error: option '--permission-mode <mode>' argument '${o.permissionMode}' is invalid. Allowed choices are ${PERMISSION_MODES.join(", ")}.\n`, code: 1 };
  if (!o.print) return { error: "maestro-sim: interactive claude is not simulated; pass -p/--print\n", code: 1 };
  if (fmt === "stream-json" && !o.verbose)
    return { error: "Error: When using --print, --output-format=stream-json requires --verbose\n", code: 1 };
  if (inFmt === "stream-json" && fmt !== "stream-json")
    return { error: "Error: --input-format=stream-json requires output-format=stream-json.\n", code: 1 };
  if (o.sessionId !== undefined) {
    if (!isUuid(o.sessionId)) return { error: "Error: Invalid session ID. Must be a valid UUID.\n", code: 1 };
    if ((o.resume || o.continue) && !o.forkSession)
      return { error: "Error: --session-id can only be used with --continue or --resume if --fork-session is also specified.\n", code: 1 };
  }
  const bypass = !!o.skipPermissions || o.permissionMode === "bypassPermissions";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (bypass && isRoot && env.IS_SANDBOX !== "1")
    return { error: "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n", code: 1 };
  const permissionMode = o.skipPermissions ? "bypassPermissions" : o.permissionMode ?? "default";
  /** @type {import("../turn.mjs").WriteMode} */
  const writeMode = permissionMode === "bypassPermissions" || permissionMode === "acceptEdits" ? "allow" : permissionMode === "plan" ? "plan" : "deny";
  const words = [...p.positionals, ...p.rest];
  const prompt = words.length ? words.join(" ") : null;
  return {
    cwd,
    prompt: inFmt === "stream-json" ? null : prompt,
    stdin: inFmt === "stream-json" ? "claude-jsonl" : "none",
    resume: o.resume,
    sessionId: o.sessionId,
    model: o.model ? ALIASES[o.model] ?? o.model : DEFAULT_MODEL,
    writeMode,
    writeModeNote:
      writeMode === "plan" ? "plan mode makes no changes" : writeMode === "deny" ? `permission mode ${permissionMode} does not allow edits in --print mode` : undefined,
    output: fmt === "stream-json" ? "jsonl" : fmt === "json" ? "json" : "text",
    images: [],
    files: [],
    thinking: true,
    opts: { ...o, permissionMode, continue: !!o.continue },
  };
}

export const newSessionId = uuidV4;

/** @param {string} id */
export function unknownSession(id) {
  return { stderr: `No conversation found with session ID: ${id}\n`, code: 1 };
}

export function noPrompt() {
  return { stderr: "Error: Input must be provided either through stdin or as a prompt argument when using --print\n", code: 1 };
}

/** @param {string} id */
export function sessionInUse(id) {
  return { stderr: `Error: Session ID ${id} is already in use.\n`, code: 1 };
}

/**
 * A stream-json input line → the user's prompt.
 * @param {string} line
 * @returns {{text: string, images: number} | null}
 */
export function readInputMessage(line) {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return null;
  }
  if (!msg || msg.type !== "user" || !msg.message) return null;
  const content = msg.message.content;
  if (typeof content === "string") return { text: content, images: 0 };
  if (!Array.isArray(content)) return null;
  const text = content.filter((b) => b && b.type === "text" && typeof b.text === "string").map((b) => b.text).join("\n");
  const images = content.filter((b) => b && b.type === "image").length;
  return { text, images };
}

/** $ per million tokens. @param {string} model */
function price(model) {
  if (/opus-4-[5-9]/.test(model)) return { in: 5, out: 25 };
  if (/opus/.test(model)) return { in: 15, out: 75 };
  if (/haiku-4/.test(model)) return { in: 1, out: 5 };
  if (/haiku/.test(model)) return { in: 0.8, out: 4 };
  return { in: 3, out: 15 };
}

/** @param {{input: number, output: number, cacheRead: number, cacheWrite: number}} u @param {string} model */
function cost(u, model) {
  const p = price(model);
  return Math.round(((u.input * p.in + u.output * p.out + u.cacheRead * p.in * 0.1 + u.cacheWrite * p.in * 1.25) / 1e6) * 1e8) / 1e8;
}

/** @param {number} input @param {number} output @param {number} cacheRead @param {number} cacheWrite */
function messageUsage(input, output, cacheRead, cacheWrite) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: "standard",
  };
}

/** @param {import("../turn.mjs").TurnCtx} ctx */
function initLine(ctx) {
  return {
    type: "system",
    subtype: "init",
    cwd: ctx.cwd,
    session_id: ctx.sessionId,
    tools: TOOLS,
    mcp_servers: [],
    model: ctx.inv.model,
    permissionMode: ctx.inv.opts.permissionMode,
    slash_commands: SLASH_COMMANDS,
    apiKeySource: "none",
    claude_code_version: VERSION,
    output_style: "default",
    agents: ["general-purpose", "statusline-setup", "Explore", "Plan"],
    skills: [],
    plugins: [],
    uuid: uuidV4(),
  };
}

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @param {string} model
 * @param {string} id
 * @param {object} block
 * @param {object} usage
 * @param {string} [error]
 */
function assistantLine(ctx, model, id, block, usage, error) {
  return {
    type: "assistant",
    message: {
      model,
      id,
      type: "message",
      role: "assistant",
      content: [block],
      stop_reason: null,
      stop_sequence: null,
      usage,
      context_management: null,
    },
    parent_tool_use_id: null,
    session_id: ctx.sessionId,
    uuid: uuidV4(),
    ...(error ? { error } : {}),
  };
}

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @param {{isError: boolean, result: string, numTurns: number, usage: {input: number, output: number, cacheRead: number, cacheWrite: number}, apiMs: number, denials: object[]}} r
 */
function resultLine(ctx, r) {
  const model = ctx.inv.model;
  const total = r.numTurns ? cost(r.usage, model) : 0;
  ctx.turnCostUsd = total;
  const durationMs = Math.max(1, Date.now() - ctx.startedAt);
  return {
    type: "result",
    subtype: "success",
    is_error: r.isError,
    duration_ms: durationMs,
    duration_api_ms: Math.min(durationMs, r.apiMs),
    num_turns: r.numTurns,
    result: r.result,
    session_id: ctx.sessionId,
    // claude reports the whole session's cost when it was resumed.
    total_cost_usd: ctx.prior.costUsd + total,
    usage: {
      input_tokens: r.usage.input,
      cache_creation_input_tokens: r.usage.cacheWrite,
      cache_read_input_tokens: r.usage.cacheRead,
      output_tokens: r.usage.output,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: "standard",
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: r.usage.cacheWrite },
    },
    modelUsage: r.numTurns
      ? {
          [model]: {
            inputTokens: r.usage.input,
            outputTokens: r.usage.output,
            cacheReadInputTokens: r.usage.cacheRead,
            cacheCreationInputTokens: r.usage.cacheWrite,
            webSearchRequests: 0,
            costUSD: total,
            contextWindow: 200000,
            maxOutputTokens: /opus-4-1|opus-4-2/.test(model) ? 32000 : 64000,
          },
        }
      : {},
    permission_denials: r.denials,
    uuid: uuidV4(),
  };
}

/** "3pm" / "3:47pm" in local time, and the local zone name. @param {Date} d */
function resetClock(d) {
  const h = d.getHours() % 12 || 12;
  const m = d.getMinutes();
  const ampm = d.getHours() < 12 ? "am" : "pm";
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  return `${h}${m ? ":" + String(m).padStart(2, "0") : ""}${ampm} (${tz})`;
}

/** @param {import("../work.mjs").Action} a */
function toolInput(a) {
  if (a.kind === "write") return { name: "Write", input: { file_path: a.abs, content: a.content ?? "" } };
  if (a.kind === "halt") {
    const lines = (a.before ?? "").split("\n").map((l) => l.replace(/\r$/, ""));
    const last = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
    return { name: "Edit", input: { file_path: a.abs, old_string: last, new_string: `${last}\n<!-- maestro:halt: simulator was told to halt -->`, replace_all: false } };
  }
  return { name: "Edit", input: { file_path: a.abs, old_string: a.oldLine ?? "", new_string: a.newLine ?? "", replace_all: false } };
}

/**
 * @param {import("../work.mjs").Action} a
 * @param {import("../work.mjs").ActionResult} r
 */
function toolResult(a, r) {
  if (r.denied || r.refused)
    return { content: `Claude requested permissions to write to ${a.abs}, but you haven't granted it yet.`, isError: true, extra: `Error: Claude requested permissions to write to ${a.abs}, but you haven't granted it yet.` };
  if (!r.ok) return { content: `<tool_use_error>${r.error}</tool_use_error>`, isError: true, extra: `Error: ${r.error}` };
  if (a.kind === "write" && r.created)
    return { content: `File created successfully at: ${a.abs}`, isError: false, extra: { type: "create", filePath: a.abs, content: a.content, structuredPatch: [] } };
  const shown = a.kind === "tick" ? a.newLine ?? "" : a.kind === "halt" ? "<!-- maestro:halt: simulator was told to halt -->" : (a.content ?? "").split("\n")[0];
  const line = a.kind === "tick" ? a.line ?? 1 : 1;
  const extra =
    a.kind === "tick"
      ? {
          filePath: a.abs,
          oldString: a.oldLine,
          newString: a.newLine,
          originalFile: a.before,
          structuredPatch: [{ oldStart: line, oldLines: 1, newStart: line, newLines: 1, lines: [`-${a.oldLine}`, `+${a.newLine}`] }],
          userModified: false,
          replaceAll: false,
        }
      : { filePath: a.abs, structuredPatch: [], userModified: false, replaceAll: false };
  return {
    content: `The file ${a.abs} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${String(line).padStart(6)}→${shown}`,
    isError: false,
    extra,
  };
}

/**
 * The whole turn as stream-json lines.
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @returns {Generator<import("../io.mjs").Item>}
 */
export function* render(ctx) {
  const model = ctx.inv.model;
  if (ctx.first) yield { tag: "start", line: initLine(ctx) };
  yield { tag: "started" };

  if (ctx.faults.ratelimit || ctx.faults.auth) {
    const reset = resetTime();
    let text = "Invalid API key · Please run /login";
    let error = "authentication_failed";
    if (ctx.faults.ratelimit) {
      text = `You've hit your limit · resets ${resetClock(reset)}`;
      error = "rate_limit";
      yield {
        tag: "other",
        line: {
          type: "rate_limit_event",
          rate_limit_info: {
            status: "rejected",
            resetsAt: Math.floor(reset.getTime() / 1000),
            rateLimitType: "five_hour",
            overageStatus: "rejected",
            overageDisabledReason: "org_level_disabled",
            isUsingOverage: false,
          },
          uuid: uuidV4(),
          session_id: ctx.sessionId,
        },
      };
    }
    yield { tag: "error", line: assistantLine(ctx, "<synthetic>", uuidV4(), { type: "text", text }, messageUsage(0, 0, 0, 0), error) };
    ctx.finalText = text;
    ctx.exitCode = 1;
    yield { tag: "final", line: resultLine(ctx, { isError: true, result: text, numTurns: 1, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, apiMs: 0, denials: [] }) };
    return;
  }

  const promptTokens = tokens(ctx.prompt) + ctx.images * 1500;
  const cacheWrite = 0;
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite };
  let numTurns = 0;
  /** @type {object[]} */
  const denials = [];
  const thinking = { type: "thinking", thinking: thinkingText(ctx), signature: Buffer.from(`maestro-sim:${ctx.sessionId}:${ctx.turn}`).toString("base64") };

  if (showsTools(ctx)) {
    const id1 = anthropicMessageId();
    const calls = ctx.actions.map((a) => ({ a, id: anthropicToolUseId(), ...toolInput(a) }));
    const blocks = [thinking, { type: "text", text: preambleText(ctx) }, ...calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.input }))];
    const out1 = tokens(JSON.stringify(blocks));
    const u1 = messageUsage(promptTokens, out1, ctx.cacheRead, cacheWrite);
    usage.input += promptTokens;
    usage.output += out1;
    usage.cacheRead += ctx.cacheRead;
    numTurns++;
    for (const b of blocks) yield { tag: b.type === "thinking" ? "thinking" : b.type === "text" ? "text" : "tool", line: assistantLine(ctx, model, id1, b, u1) };
    let resultTokens = 0;
    for (const c of calls) {
      const r = runAction(ctx, c.a);
      const tr = toolResult(c.a, r);
      resultTokens += tokens(tr.content);
      if (r.denied || r.refused) denials.push({ tool_name: c.name, tool_use_id: c.id, tool_input: c.input });
      yield {
        tag: "tool",
        line: {
          type: "user",
          message: { role: "user", content: [{ tool_use_id: c.id, type: "tool_result", content: tr.content, ...(tr.isError ? { is_error: true } : {}) }] },
          parent_tool_use_id: null,
          session_id: ctx.sessionId,
          uuid: uuidV4(),
          tool_use_result: tr.extra,
        },
      };
    }
    const reply = chunk(ctx, replyText(ctx), 1);
    ctx.finalText = reply.join("");
    const id2 = anthropicMessageId();
    const out2 = tokens(ctx.finalText);
    const u2 = messageUsage(resultTokens, out2, ctx.cacheRead + promptTokens + out1, 0);
    usage.input += resultTokens;
    usage.output += out2;
    usage.cacheRead += ctx.cacheRead + promptTokens + out1;
    numTurns++;
    for (const t of reply) yield { tag: "text", line: assistantLine(ctx, model, id2, { type: "text", text: t }, u2) };
  } else {
    const reply = chunk(ctx, replyText(ctx), 1);
    ctx.finalText = reply.join("");
    const id1 = anthropicMessageId();
    const out1 = tokens(thinking.thinking) + tokens(ctx.finalText);
    const u1 = messageUsage(promptTokens, out1, ctx.cacheRead, cacheWrite);
    usage.input += promptTokens;
    usage.output += out1;
    usage.cacheRead += ctx.cacheRead;
    numTurns++;
    yield { tag: "thinking", line: assistantLine(ctx, model, id1, thinking, u1) };
    for (const t of reply) yield { tag: "text", line: assistantLine(ctx, model, id1, { type: "text", text: t }, u1) };
  }
  ctx.inputTokens = promptTokens;
  ctx.outputTokens = usage.output;
  const apiMs = Math.max(1, Date.now() - ctx.startedAt - 2);
  yield { tag: "final", line: resultLine(ctx, { isError: false, result: ctx.finalText, numTurns, usage, apiMs, denials }) };
}

/** @param {import("../turn.mjs").TurnCtx} ctx @returns {[string, object]} */
export function malformed(ctx) {
  const full = JSON.stringify({ type: "assistant", message: { model: ctx.inv.model, id: anthropicMessageId(), type: "message", role: "assistant", content: [{ type: "text", text: "This line is cut short" }] }, session_id: ctx.sessionId });
  return [full.slice(0, Math.floor(full.length / 2)), { type: "maestro_sim_probe", subtype: "unknown_event", session_id: ctx.sessionId, uuid: uuidV4() }];
}

/** @param {import("../turn.mjs").TurnCtx} _ctx */
export function crashText(_ctx) {
  const cli = "file:///usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js";
  return [
    `${cli}:2754`,
    "TypeError: Cannot read properties of undefined (reading 'content')",
    `    at Pd8 (${cli}:2754:2177)`,
    `    at async Xq (${cli}:1891:1218)`,
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    "maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    "",
  ].join("\n");
}

/**
 * Non-stream output modes: text prints the reply; json prints the result object.
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @param {object[]} lines
 */
export function summary(ctx, lines) {
  if (ctx.inv.output === "json") return JSON.stringify(lines[lines.length - 1]);
  return ctx.finalText;
}

export const _test = { resetClock };
