// opencode: `opencode run --format json …` (packages/opencode/src/cli/cmd/run.ts emit()).
import fs from "node:fs";
import path from "node:path";
import { parseArgv } from "../args.mjs";
import { anthropicToolUseId, opencodeId, snapshotHash } from "../ids.mjs";
import { resetTime } from "../faults.mjs";
import { HALT_MARKER } from "../work.mjs";
import { chunk, preambleText, replyText, runAction, showsTools, thinkingText, tokens } from "../turn.mjs";

export const name = "opencode";
export const version = "1.1.0";

const ERR = "\x1b[91m\x1b[1mError: \x1b[0m";

/** @type {import("../args.mjs").OptSpec[]} */
const SPECS = [
  { key: "command", flags: ["--command"], value: true },
  { key: "continue", flags: ["-c", "--continue"] },
  { key: "session", flags: ["-s", "--session"], value: true },
  { key: "fork", flags: ["--fork"] },
  { key: "share", flags: ["--share"] },
  { key: "model", flags: ["-m", "--model"], value: true },
  { key: "agent", flags: ["--agent"], value: true },
  { key: "format", flags: ["--format"], value: true },
  { key: "file", flags: ["-f", "--file"], value: true, multi: true },
  { key: "title", flags: ["--title"], value: true },
  { key: "attach", flags: ["--attach"], value: true },
  { key: "password", flags: ["-p", "--password"], value: true },
  { key: "username", flags: ["-u", "--username"], value: true },
  { key: "dir", flags: ["--dir"], value: true },
  { key: "port", flags: ["--port"], value: true },
  { key: "variant", flags: ["--variant"], value: true },
  { key: "thinking", flags: ["--thinking"] },
  { key: "auto", flags: ["--auto"] },
  { key: "yolo", flags: ["--yolo"] },
  { key: "skipPermissions", flags: ["--dangerously-skip-permissions"] },
  { key: "printLogs", flags: ["--print-logs"] },
  { key: "logLevel", flags: ["--log-level"], value: true },
];

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} _env
 * @param {string} cwd
 * @returns {import("../turn.mjs").Invocation | {error: string, code: number}}
 */
export function parse(argv, _env, cwd) {
  if (argv[0] !== "run") return { error: "maestro-sim: only `opencode run` is simulated\n", code: 1 };
  const p = parseArgv(argv.slice(1), SPECS);
  if (p.unknown)
    return {
      error: `opencode run [message..]\n\nrun opencode with a message\n\nUnknown argument: ${p.unknown.replace(/^-+/, "").split("=")[0]}\n`,
      code: 1,
    };
  if (p.missingValue) return { error: `Not enough arguments following: ${p.missingValue.replace(/^-+/, "")}\n`, code: 1 };
  const o = p.opts;
  const format = o.format ?? "default";
  if (!["default", "json"].includes(format))
    return { error: `Invalid values:\n  Argument: format, Given: "${format}", Choices: "default", "json"\n`, code: 1 };
  let dir = cwd;
  if (o.dir) {
    dir = path.resolve(cwd, o.dir);
    if (!fs.existsSync(dir)) return { error: `${ERR}Failed to change directory to ${o.dir}\n`, code: 1 };
  }
  /** @type {string[]} */
  const files = [];
  for (const f of o.file ?? []) {
    if (!fs.existsSync(path.resolve(dir, f))) return { error: `${ERR}File not found: ${f}\n`, code: 1 };
    files.push(f);
  }
  if (o.fork && !o.continue && !o.session) return { error: `${ERR}--fork requires --continue or --session\n`, code: 1 };
  const words = [...p.positionals, ...p.rest];
  // opencode quotes an argv word holding spaces before the model sees it.
  const message = words.map((w) => (w.includes(" ") ? `"${w.replace(/"/g, '\\"')}"` : w)).join(" ");
  const plan = o.agent === "plan";
  return {
    cwd: dir,
    prompt: words.length ? message : null,
    stdin: words.length ? "none" : "text",
    resume: o.session ?? (o.continue ? "--continue" : undefined),
    model: o.model ?? "anthropic/claude-sonnet-4-5",
    writeMode: plan ? "plan" : "allow",
    writeModeNote: plan ? "the plan agent does not edit files" : undefined,
    output: format === "json" ? "jsonl" : "text",
    images: [],
    files,
    thinking: !!o.thinking,
    opts: o,
  };
}

export const newSessionId = () => opencodeId("ses");

/**
 * `--continue`: the newest session in this folder (a fresh one when there is none).
 * @param {string} id
 * @param {import("../sessions.mjs").SessionRecord[]} sessions
 */
export function resolveResume(id, sessions) {
  if (id === "--continue") return sessions.length ? sessions[sessions.length - 1].id : "";
  return id;
}

/**
 * @param {string} id
 * @returns {"new" | {stderr: string, code: number}}
 */
export function unknownSession(id) {
  if (id === "") return "new";
  return { stderr: `${ERR}Session not found\n`, code: 1 };
}

export function noPrompt() {
  return { stderr: `${ERR}You must provide a message or a command\n`, code: 1 };
}

/** @param {number} input @param {number} output @param {number} cacheRead */
const priceOf = (input, output, cacheRead) => Math.round(((input * 3 + output * 15 + cacheRead * 0.3) / 1e6) * 1e8) / 1e8;

/** @param {import("../turn.mjs").TurnCtx} ctx @param {string} type @param {object} data */
function ev(ctx, type, data) {
  return { type, timestamp: Date.now(), sessionID: ctx.sessionId, ...data };
}

/** @param {import("../work.mjs").Action} a */
function toolCall(a) {
  if (a.kind === "write") return { tool: "write", input: { filePath: a.abs, content: a.content ?? "" } };
  if (a.kind === "halt") {
    const lines = (a.before ?? "").split("\n").map((l) => l.replace(/\r$/, ""));
    const last = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
    return { tool: "edit", input: { filePath: a.abs, oldString: last, newString: `${last}\n${HALT_MARKER}` } };
  }
  return { tool: "edit", input: { filePath: a.abs, oldString: a.oldLine ?? "", newString: a.newLine ?? "" } };
}

/** @param {import("../work.mjs").Action} a */
function diffOf(a) {
  const head = `Index: ${a.abs}\n===================================================================\n--- ${a.abs}\n+++ ${a.abs}\n`;
  if (a.kind === "tick") return `${head}@@ -${a.line},1 +${a.line},1 @@\n-${a.oldLine}\n+${a.newLine}\n`;
  if (a.kind === "halt") return `${head}@@ -0,0 +1,1 @@\n+${HALT_MARKER}\n`;
  return `${head}@@ -0,0 +1 @@\n${(a.content ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => `+${l}`)
    .join("\n")}\n`;
}

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @param {string} messageID
 * @param {string} reason
 * @param {{input: number, output: number, reasoning: number, cacheRead: number}} t
 */
function stepFinish(ctx, messageID, reason, t) {
  return ev(ctx, "step_finish", {
    part: {
      id: opencodeId("prt"),
      sessionID: ctx.sessionId,
      messageID,
      type: "step-finish",
      reason,
      snapshot: snapshotHash(),
      cost: priceOf(t.input, t.output + t.reasoning, t.cacheRead),
      tokens: { input: t.input, output: t.output, reasoning: t.reasoning, cache: { read: t.cacheRead, write: 0 } },
    },
  });
}

/** @param {import("../turn.mjs").TurnCtx} ctx @param {string} messageID */
function stepStart(ctx, messageID) {
  return ev(ctx, "step_start", {
    part: { id: opencodeId("prt"), sessionID: ctx.sessionId, messageID, type: "step-start", snapshot: snapshotHash() },
  });
}

/** @param {import("../turn.mjs").TurnCtx} ctx @param {string} messageID @param {string} type @param {string} text @param {number} start */
function textPart(ctx, messageID, type, text, start) {
  return ev(ctx, type, {
    part: {
      id: opencodeId("prt"),
      sessionID: ctx.sessionId,
      messageID,
      type,
      text,
      time: { start, end: Date.now() },
      ...(type === "reasoning" ? { metadata: {} } : {}),
    },
  });
}

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @returns {Generator<import("../io.mjs").Item>}
 */
export function* render(ctx) {
  /** @type {string[]} */
  const rejected = [];
  if (ctx.faults.ratelimit || ctx.faults.auth) {
    yield { tag: "started" };
    const reset = resetTime();
    const error = ctx.faults.ratelimit
      ? {
          name: "APIError",
          data: {
            message: `Rate limit exceeded: usage limit reached, resets at ${reset.toISOString()}`,
            statusCode: 429,
            isRetryable: false,
            responseHeaders: { "retry-after": "60", "anthropic-ratelimit-unified-reset": String(Math.floor(reset.getTime() / 1000)) },
            responseBody: JSON.stringify({
              type: "error",
              error: { type: "rate_limit_error", message: `Rate limit exceeded: usage limit reached, resets at ${reset.toISOString()}` },
            }),
          },
        }
      : {
          name: "APIError",
          data: {
            message: "invalid x-api-key",
            statusCode: 401,
            isRetryable: false,
            responseHeaders: {},
            responseBody: JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }),
          },
        };
    ctx.finalText = error.data.message;
    ctx.exitCode = 1;
    yield { tag: "final", line: ev(ctx, "error", { error }) };
    yield { tag: "other", line: ev(ctx, "done", { reason: "idle", rejected }) };
    return;
  }

  const promptTokens = tokens(ctx.prompt) + ctx.inv.files.length * 200;
  const msg1 = opencodeId("msg");
  let t0 = Date.now();
  yield { tag: "start", line: stepStart(ctx, msg1) };
  yield { tag: "started" };
  const thinking = thinkingText(ctx);
  const reasoningTokens = tokens(thinking);
  if (ctx.inv.thinking) yield { tag: "thinking", line: textPart(ctx, msg1, "reasoning", thinking, t0) };
  let out = 0;
  let msg = msg1;
  if (showsTools(ctx)) {
    const pre = preambleText(ctx);
    yield { tag: "text", line: textPart(ctx, msg1, "text", pre, t0) };
    out += tokens(pre);
    let resultTokens = 0;
    for (const a of ctx.actions) {
      const call = toolCall(a);
      const start = Date.now();
      const r = runAction(ctx, a);
      out += tokens(JSON.stringify(call.input));
      /** @type {object} */
      let state;
      if (r.ok) {
        const output = a.kind === "write" ? "Wrote file successfully." : "Edit applied successfully.";
        resultTokens += tokens(output);
        state = {
          status: "completed",
          input: call.input,
          output,
          title: a.rel,
          metadata:
            a.kind === "write"
              ? { diagnostics: {}, filepath: a.abs, exists: !r.created }
              : { diagnostics: {}, diff: diffOf(a), filediff: { file: a.abs, additions: 1, deletions: a.kind === "tick" ? 1 : 0 } },
          time: { start, end: Date.now() },
        };
      } else {
        const error = r.refused ? "The user rejected permission to use this specific tool call." : `Error: ${r.error}`;
        if (r.refused) rejected.push("external_directory");
        resultTokens += tokens(error);
        state = { status: "error", input: call.input, error, time: { start, end: Date.now() } };
      }
      yield {
        tag: "tool",
        line: ev(ctx, "tool_use", {
          part: {
            id: opencodeId("prt"),
            sessionID: ctx.sessionId,
            messageID: msg1,
            type: "tool",
            callID: anthropicToolUseId(),
            tool: call.tool,
            state,
          },
        }),
      };
    }
    yield {
      tag: "other",
      line: stepFinish(ctx, msg1, "tool-calls", { input: promptTokens, output: out, reasoning: reasoningTokens, cacheRead: ctx.cacheRead }),
    };
    ctx.inputTokens = promptTokens + resultTokens;
    msg = opencodeId("msg");
    t0 = Date.now();
    yield { tag: "other", line: stepStart(ctx, msg) };
    const reply = chunk(ctx, replyText(ctx), 1);
    ctx.finalText = reply.join("");
    for (const t of reply) yield { tag: "text", line: textPart(ctx, msg, "text", t, t0) };
    const out2 = tokens(ctx.finalText);
    ctx.outputTokens = out + out2 + reasoningTokens;
    yield {
      tag: "final",
      line: stepFinish(ctx, msg, "stop", {
        input: resultTokens,
        output: out2,
        reasoning: 0,
        cacheRead: ctx.cacheRead + promptTokens + out,
      }),
    };
  } else {
    const reply = chunk(ctx, replyText(ctx), 1);
    ctx.finalText = reply.join("");
    for (const t of reply) yield { tag: "text", line: textPart(ctx, msg, "text", t, t0) };
    out = tokens(ctx.finalText);
    ctx.inputTokens = promptTokens;
    ctx.outputTokens = out + reasoningTokens;
    yield {
      tag: "final",
      line: stepFinish(ctx, msg, "stop", { input: promptTokens, output: out, reasoning: reasoningTokens, cacheRead: ctx.cacheRead }),
    };
  }
  yield { tag: "other", line: ev(ctx, "done", { reason: "idle", rejected }) };
}

/** @param {import("../turn.mjs").TurnCtx} ctx @returns {[string, object]} */
export function malformed(ctx) {
  const full = JSON.stringify(
    ev(ctx, "text", {
      part: { id: opencodeId("prt"), sessionID: ctx.sessionId, messageID: opencodeId("msg"), type: "text", text: "This line is cut short" },
    }),
  );
  return [
    full.slice(0, Math.floor(full.length / 2)),
    ev(ctx, "maestro_sim_probe", { part: { id: opencodeId("prt"), type: "unknown-part" } }),
  ];
}

/** @param {import("../turn.mjs").TurnCtx} _ctx */
export function crashText(_ctx) {
  return [
    "TypeError: undefined is not an object (evaluating 'part.state.status')",
    "      at loop (/$bunfs/root/src/cli/cmd/run.ts:412:17)",
    "      at processTicksAndRejections (native:7:39)",
    "maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    "",
  ].join("\n");
}

/** @param {import("../turn.mjs").TurnCtx} ctx */
export function summary(ctx) {
  return ctx.finalText;
}
