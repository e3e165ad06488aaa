// Gemini CLI: `gemini -p PROMPT --output-format stream-json …`
// (packages/core/src/output/types.ts JsonStreamEvent, stream-json-formatter.ts StreamStats).
import os from "node:os";
import path from "node:path";
import { parseArgv } from "../args.mjs";
import { geminiToolId, uuidV4 } from "../ids.mjs";
import { HALT_MARKER } from "../work.mjs";
import { chunk, preambleText, replyText, runAction, showsTools, tokens } from "../turn.mjs";

export const name = "gemini";
export const version = "0.22.0";

/** @type {import("../args.mjs").OptSpec[]} */
const SPECS = [
  { key: "prompt", flags: ["-p", "--prompt"], value: true },
  { key: "promptInteractive", flags: ["-i", "--prompt-interactive"], value: true },
  { key: "outputFormat", flags: ["-o", "--output-format"], value: true },
  { key: "model", flags: ["-m", "--model"], value: true },
  { key: "yolo", flags: ["-y", "--yolo"] },
  { key: "approvalMode", flags: ["--approval-mode"], value: true },
  { key: "resume", flags: ["-r", "--resume"], value: true },
  { key: "sandbox", flags: ["-s", "--sandbox"] },
  { key: "debug", flags: ["-d", "--debug"] },
  { key: "includeDirectories", flags: ["--include-directories"], value: true, multi: true },
  { key: "allowedTools", flags: ["--allowed-tools"], value: true, multi: true },
  { key: "allowedMcpServerNames", flags: ["--allowed-mcp-server-names"], value: true, multi: true },
  { key: "extensions", flags: ["-e", "--extensions"], value: true, multi: true },
  { key: "screenReader", flags: ["--screen-reader"] },
  { key: "checkpointing", flags: ["-c", "--checkpointing"] },
];
const APPROVAL = ["default", "auto_edit", "yolo", "plan"];
const FORMATS = ["text", "json", "stream-json"];

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} _env
 * @param {string} cwd
 * @returns {import("../turn.mjs").Invocation | {error: string, code: number}}
 */
export function parse(argv, _env, cwd) {
  const p = parseArgv(argv, SPECS);
  if (p.unknown)
    return { error: `Usage: gemini [options] [command]\n\nUnknown arguments: ${p.unknown.replace(/^-+/, "").split("=")[0]}\n`, code: 1 };
  if (p.missingValue) return { error: `Not enough arguments following: ${p.missingValue.replace(/^-+/, "")}\n`, code: 1 };
  const o = p.opts;
  const fmt = o.outputFormat ?? "text";
  if (!FORMATS.includes(fmt))
    return {
      error: `Invalid values:\n  Argument: output-format, Given: "${fmt}", Choices: ${FORMATS.map((f) => `"${f}"`).join(", ")}\n`,
      code: 1,
    };
  if (o.approvalMode !== undefined && !APPROVAL.includes(o.approvalMode))
    return {
      error: `Invalid values:\n  Argument: approval-mode, Given: "${o.approvalMode}", Choices: ${APPROVAL.map((f) => `"${f}"`).join(", ")}\n`,
      code: 1,
    };
  if (o.yolo && o.approvalMode !== undefined)
    return { error: "Cannot use both --yolo (-y) and --approval-mode together. Use --approval-mode=yolo instead.\n", code: 1 };
  const words = [...p.positionals, ...p.rest];
  if (o.prompt !== undefined && words.length)
    return { error: "Cannot use both a positional prompt and the --prompt (-p) flag together\n", code: 1 };
  const mode = o.yolo ? "yolo" : (o.approvalMode ?? "default");
  /** @type {import("../turn.mjs").WriteMode} */
  const writeMode = mode === "yolo" || mode === "auto_edit" ? "allow" : mode === "plan" ? "plan" : "notools";
  const prompt = o.prompt !== undefined ? String(o.prompt) : words.length ? words.join(" ") : null;
  return {
    cwd,
    prompt,
    stdin: "none",
    resume: o.resume,
    model: o.model ?? "gemini-2.5-pro",
    writeMode,
    writeModeNote:
      writeMode === "notools"
        ? "headless gemini offers no edit tools without --approval-mode auto_edit or --yolo"
        : writeMode === "plan"
          ? "plan approval mode makes no changes"
          : undefined,
    output: fmt === "stream-json" ? "jsonl" : fmt === "json" ? "json" : "text",
    images: [],
    files: [],
    thinking: false,
    opts: { ...o, approvalMode: mode },
  };
}

export const newSessionId = uuidV4;

/**
 * `--resume latest`, `--resume <index>` (1-based, oldest first) or `--resume <uuid>`.
 * @param {string} id
 * @param {import("../sessions.mjs").SessionRecord[]} sessions
 */
export function resolveResume(id, sessions) {
  if (id === "latest") return sessions.length ? sessions[sessions.length - 1].id : `latest`;
  if (/^\d+$/.test(id)) return sessions[Number(id) - 1]?.id ?? id;
  return id;
}

/**
 * @param {string} id
 * @returns {"new" | {stderr: string, code: number}}
 */
export function unknownSession(id) {
  if (id === "latest") return "new";
  return {
    stderr: `Error resuming session: Invalid session identifier "${id}".\n  Use --list-sessions to see available sessions, then use --resume {number}, --resume {uuid}, or --resume latest.\n`,
    code: 42,
  };
}

export function noPrompt() {
  return { stderr: "maestro-sim: interactive gemini is not simulated; pass -p PROMPT\n", code: 1 };
}

/** @param {string} type @param {object} data */
const ev = (type, data) => ({ type, timestamp: new Date().toISOString(), ...data });

/**
 * @param {number} input @param {number} output @param {number} cached @param {number} ms @param {number} calls
 */
function stats(input, output, cached, ms, calls) {
  return {
    total_tokens: input + output,
    input_tokens: input,
    output_tokens: output,
    cached,
    input: input - cached,
    duration_ms: ms,
    tool_calls: calls,
  };
}

/** @param {import("../work.mjs").Action} a */
function toolCall(a) {
  if (a.kind === "write") return { tool: "write_file", parameters: { file_path: a.abs, content: a.content ?? "" } };
  if (a.kind === "halt") {
    const lines = (a.before ?? "").split("\n").map((l) => l.replace(/\r$/, ""));
    const last = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
    return { tool: "replace", parameters: { file_path: a.abs, old_string: last, new_string: `${last}\n${HALT_MARKER}` } };
  }
  return { tool: "replace", parameters: { file_path: a.abs, old_string: a.oldLine ?? "", new_string: a.newLine ?? "" } };
}

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @returns {Generator<import("../io.mjs").Item>}
 */
export function* render(ctx) {
  if (ctx.faults.auth) {
    const settings = path.join(process.env.HOME || os.homedir(), ".gemini", "settings.json");
    process.stderr.write(
      `Please set an Auth method in your ${settings} or specify one of the following environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA\n`,
    );
    ctx.exitCode = 41;
    return;
  }
  yield { tag: "start", line: ev("init", { session_id: ctx.sessionId, model: ctx.inv.model }) };
  yield { tag: "start", line: ev("message", { role: "user", content: ctx.prompt }) };
  yield { tag: "started" };

  if (ctx.faults.ratelimit) {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    process.stderr.write(
      `Error when talking to Gemini API Full report available at: ${os.tmpdir()}/gemini-client-error-Turn.run-sendMessageStream-${stamp}.json\n`,
    );
    const message = "[API Error: You have exhausted your capacity on this model. Your quota will reset after 59s.]";
    ctx.finalText = message;
    ctx.exitCode = 1;
    yield {
      tag: "final",
      line: ev("result", { status: "error", error: { type: "TerminalQuotaError", message }, stats: stats(0, 0, 0, 0, 0) }),
    };
    return;
  }

  const promptTokens = tokens(ctx.prompt);
  let out = 0;
  let resultTokens = 0;
  let calls = 0;
  if (showsTools(ctx)) {
    const pre = preambleText(ctx) + "\n";
    out += tokens(pre);
    yield { tag: "text", line: ev("message", { role: "assistant", content: pre, delta: true }) };
    for (const a of ctx.actions) {
      const call = toolCall(a);
      const id = geminiToolId(call.tool);
      calls++;
      out += tokens(JSON.stringify(call.parameters));
      yield { tag: "tool", line: ev("tool_use", { tool_name: call.tool, tool_id: id, parameters: call.parameters }) };
      const r = runAction(ctx, a);
      if (r.ok) {
        const output =
          a.kind === "write"
            ? r.created
              ? `Successfully created and wrote to new file: ${a.abs}.`
              : `Successfully overwrote file: ${a.abs}.`
            : `Successfully modified file: ${a.abs} (1 replacements).`;
        resultTokens += tokens(output);
        yield { tag: "tool", line: ev("tool_result", { tool_id: id, status: "success", output }) };
      } else {
        const error = r.refused
          ? { type: "path_not_in_workspace", message: `File path must be within one of the workspace directories: ${ctx.cwd}` }
          : { type: "file_write_failure", message: r.error ?? "write failed" };
        resultTokens += tokens(error.message);
        yield { tag: "tool", line: ev("tool_result", { tool_id: id, status: "error", output: error.message, error }) };
      }
    }
  }
  const reply = chunk(ctx, replyText(ctx), 3);
  ctx.finalText = reply.join("");
  out += tokens(ctx.finalText);
  for (const t of reply) yield { tag: "text", line: ev("message", { role: "assistant", content: t, delta: true }) };
  ctx.inputTokens = promptTokens + resultTokens;
  ctx.outputTokens = out;
  const input = ctx.cacheRead + promptTokens + resultTokens;
  yield {
    tag: "final",
    line: ev("result", { status: "success", stats: stats(input, out, ctx.cacheRead, Math.max(1, Date.now() - ctx.startedAt), calls) }),
  };
}

/** @param {import("../turn.mjs").TurnCtx} _ctx @returns {[string, object]} */
export function malformed(_ctx) {
  const full = JSON.stringify(ev("message", { role: "assistant", content: "This line is cut short", delta: true }));
  return [full.slice(0, Math.floor(full.length / 2)), ev("maestro_sim_probe", { detail: "an event type no parser knows" })];
}

/** @param {import("../turn.mjs").TurnCtx} _ctx */
export function crashText(_ctx) {
  const core = "file:///usr/lib/node_modules/@google/gemini-cli/node_modules/@google/gemini-cli-core/dist/src";
  return [
    "An unexpected critical error occurred:TypeError: Cannot read properties of undefined (reading 'parts')",
    `    at Turn.run (${core}/core/turn.js:60:30)`,
    `    at async GeminiClient.sendMessageStream (${core}/core/client.js:411:32)`,
    "maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    "",
  ].join("\n");
}

/** @param {import("../turn.mjs").TurnCtx} ctx */
export function summary(ctx) {
  if (ctx.inv.output === "json") return JSON.stringify({ session_id: ctx.sessionId, response: ctx.finalText, stats: {} });
  return ctx.finalText;
}
