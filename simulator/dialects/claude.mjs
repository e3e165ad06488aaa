// Claude Code: `claude -p --verbose --output-format stream-json …` (stream-json / SDK message shapes).
// The dialect's face: error texts, stream-json input, the turn. Its parts live in claude/:
// argv.mjs (parse), lines.mjs (stream-json line builders), usage.mjs (usage, cost, the result line).
import { anthropicMessageId, anthropicToolUseId, uuidV4 } from "../ids.mjs";
import { resetTime } from "../faults.mjs";
import { chunk, preambleText, replyText, showsTools, thinkingText, tokens } from "../turn.mjs";
import { interruptedLine, resultLineOf, runCall } from "./claude/calls.mjs";
import { assistantLine, initLine, toolInput } from "./claude/lines.mjs";
import { messageUsage, resultLine } from "./claude/usage.mjs";

export { parse } from "./claude/argv.mjs";

export const name = "claude";
export const version = "2.1.117 (Claude Code)";

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
  const text = content
    .filter((b) => b && b.type === "text" && typeof b.text === "string")
    .map((b) => b.text)
    .join("\n");
  const images = content.filter((b) => b && b.type === "image").length;
  return { text, images };
}

/** "3pm" / "3:47pm" in local time, and the local zone name. @param {Date} d */
function resetClock(d) {
  const h = d.getHours() % 12 || 12;
  const m = d.getMinutes();
  const ampm = d.getHours() < 12 ? "am" : "pm";
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  return `${h}${m ? ":" + String(m).padStart(2, "0") : ""}${ampm} (${tz})`;
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
    yield {
      tag: "final",
      line: resultLine(ctx, {
        isError: true,
        result: text,
        numTurns: 1,
        usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        apiMs: 0,
        denials: [],
      }),
    };
    return;
  }

  const promptTokens = tokens(ctx.prompt) + ctx.images * 1500;
  const cacheWrite = 0;
  const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite };
  let numTurns = 0;
  /** @type {object[]} */
  const denials = [];
  const thinking = {
    type: "thinking",
    thinking: thinkingText(ctx),
    signature: Buffer.from(`maestro-sim:${ctx.sessionId}:${ctx.turn}`).toString("base64"),
  };

  if (showsTools(ctx)) {
    const id1 = anthropicMessageId();
    const calls = ctx.actions.map((a) => ({ a, id: anthropicToolUseId(), ...toolInput(a) }));
    const blocks = [
      thinking,
      { type: "text", text: preambleText(ctx) },
      ...calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.input })),
    ];
    const out1 = tokens(JSON.stringify(blocks));
    const u1 = messageUsage(promptTokens, out1, ctx.cacheRead, cacheWrite);
    usage.input += promptTokens;
    usage.output += out1;
    usage.cacheRead += ctx.cacheRead;
    numTurns++;
    for (const b of blocks)
      yield { tag: b.type === "thinking" ? "thinking" : b.type === "text" ? "text" : "tool", line: assistantLine(ctx, model, id1, b, u1) };
    let resultTokens = 0;
    for (const c of calls) {
      const r = yield* runCall(ctx, c);
      resultTokens += tokens(r.out.content);
      if (r.denied) denials.push({ tool_name: c.name, tool_use_id: c.id, tool_input: c.input });
      yield { tag: "tool", line: resultLineOf(ctx, c, r) };
      if (r.interrupted) {
        // An interrupt at a request ends the turn as an error (exit 1), as the real CLI does.
        yield { tag: "tool", line: interruptedLine(ctx) };
        ctx.exitCode = 1;
        ctx.finalText = "";
        const apiMs = Math.max(1, Date.now() - ctx.startedAt - 2);
        const res = resultLine(ctx, { isError: true, result: "", numTurns, usage, apiMs, denials });
        yield { tag: "final", line: { ...res, subtype: "error_during_execution", terminal_reason: "aborted_tools" } };
        return;
      }
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
  const full = JSON.stringify({
    type: "assistant",
    message: {
      model: ctx.inv.model,
      id: anthropicMessageId(),
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "This line is cut short" }],
    },
    session_id: ctx.sessionId,
  });
  return [
    full.slice(0, Math.floor(full.length / 2)),
    { type: "maestro_sim_probe", subtype: "unknown_event", session_id: ctx.sessionId, uuid: uuidV4() },
  ];
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
