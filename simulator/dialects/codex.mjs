// Codex CLI: `codex [-C DIR] exec --json …` (codex-rs/exec/src/exec_events.rs ThreadEvent JSONL).
import fs from "node:fs";
import path from "node:path";
import { parseArgv } from "../args.mjs";
import { uuidV7 } from "../ids.mjs";
import { resetTime } from "../faults.mjs";
import { chunk, replyText, runAction, showsTools, thinkingText, tokens } from "../turn.mjs";

export const name = "codex";
export const version = "codex-cli 0.77.0";

const SANDBOXES = ["read-only", "workspace-write", "danger-full-access"];

/** Options shared by `codex` and `codex exec`. @type {import("../args.mjs").OptSpec[]} */
const SHARED = [
  { key: "cd", flags: ["-C", "--cd"], value: true },
  { key: "model", flags: ["-m", "--model"], value: true },
  { key: "sandbox", flags: ["-s", "--sandbox"], value: true },
  { key: "config", flags: ["-c", "--config"], value: true, multi: true },
  { key: "image", flags: ["-i", "--image"], value: true, multi: true },
  { key: "profile", flags: ["-p", "--profile"], value: true },
  { key: "fullAuto", flags: ["--full-auto"] },
  { key: "bypass", flags: ["--dangerously-bypass-approvals-and-sandbox", "--yolo"] },
  { key: "oss", flags: ["--oss"] },
  { key: "localProvider", flags: ["--local-provider"], value: true },
  { key: "addDir", flags: ["--add-dir"], value: true, multi: true },
  { key: "enable", flags: ["--enable"], value: true, multi: true },
  { key: "disable", flags: ["--disable"], value: true, multi: true },
];
/** @type {import("../args.mjs").OptSpec[]} */
const TOP = [
  ...SHARED,
  { key: "askForApproval", flags: ["-a", "--ask-for-approval"], value: true },
  { key: "search", flags: ["--search"] },
];
/** @type {import("../args.mjs").OptSpec[]} */
const EXEC = [
  ...SHARED,
  { key: "json", flags: ["--json", "--experimental-json"] },
  { key: "skipGit", flags: ["--skip-git-repo-check"] },
  { key: "color", flags: ["--color"], value: true },
  { key: "lastMessage", flags: ["-o", "--output-last-message"], value: true },
  { key: "outputSchema", flags: ["--output-schema"], value: true },
  { key: "ephemeral", flags: ["--ephemeral"] },
];
/** `codex exec resume` takes fewer options (-C, --sandbox, --color are rejected there). */
/** @type {import("../args.mjs").OptSpec[]} */
const RESUME = [
  ...EXEC.filter((s) => !["cd", "sandbox", "color"].includes(s.key)),
  { key: "last", flags: ["--last"] },
  { key: "all", flags: ["--all"] },
];

/** @param {string} arg @param {string} usage */
function clapUnexpected(arg, usage) {
  const tip = arg.startsWith("-") ? `\n  tip: to pass '${arg}' as a value, use '-- ${arg}'\n` : "";
  return { error: `error: unexpected argument '${arg}' found\n${tip}\nUsage: ${usage}\n\nFor more information, try '--help'.\n`, code: 2 };
}

/** @param {string} dir */
function inGitRepo(dir) {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, ".git"))) return true;
    const up = path.dirname(d);
    if (up === d) return false;
    d = up;
  }
}

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} _env
 * @param {string} cwd
 * @returns {import("../turn.mjs").Invocation | {error: string, code: number}}
 */
export function parse(argv, _env, cwd) {
  const top = parseArgv(argv, TOP, { stopAt: (w) => w === "exec" || w === "e" });
  if (top.unknown) return clapUnexpected(top.unknown, "codex [OPTIONS] [PROMPT]\n       codex [OPTIONS] <COMMAND> [ARGS]");
  if (!top.tail.length) return { error: "maestro-sim: only `codex exec` is simulated\n", code: 2 };
  const ex = parseArgv(top.tail.slice(1), EXEC, { stopAt: (w, pos) => w === "resume" && pos.length === 0 });
  if (ex.unknown) return clapUnexpected(ex.unknown, "codex exec [OPTIONS] [PROMPT] [COMMAND]");
  if (ex.missingValue || top.missingValue)
    return {
      error: `error: a value is required for '${ex.missingValue ?? top.missingValue} <VALUE>' but none was supplied\n\nFor more information, try '--help'.\n`,
      code: 2,
    };
  /** @type {Record<string, any>} */
  const o = { ...top.opts };
  for (const [k, v] of Object.entries(ex.opts)) o[k] = Array.isArray(v) && Array.isArray(o[k]) ? [...o[k], ...v] : v;
  let words = [...ex.positionals, ...ex.rest];
  /** @type {string|undefined} */
  let resume;
  if (ex.tail.length) {
    const rs = parseArgv(ex.tail.slice(1), RESUME);
    if (rs.unknown) return clapUnexpected(rs.unknown, "codex exec resume [OPTIONS] [SESSION_ID] [PROMPT]");
    for (const [k, v] of Object.entries(rs.opts)) o[k] = Array.isArray(v) && Array.isArray(o[k]) ? [...o[k], ...v] : v;
    const pos = [...rs.positionals, ...rs.rest];
    if (o.last) {
      resume = "--last";
      words = pos;
    } else {
      resume = pos[0];
      words = pos.slice(1);
      if (!resume)
        return {
          error:
            "error: the following required arguments were not provided:\n  <SESSION_ID>\n\nUsage: codex exec resume <SESSION_ID> [PROMPT]\n\nFor more information, try '--help'.\n",
          code: 2,
        };
    }
  }
  if (words.length > 1) return clapUnexpected(words[1], "codex exec [OPTIONS] [PROMPT] [COMMAND]");
  for (const c of o.config ?? []) {
    const m = /^sandbox_mode\s*=\s*"?([\w-]+)"?$/.exec(c);
    if (m && !o.sandbox) o.sandbox = m[1];
  }
  if (o.sandbox !== undefined && !SANDBOXES.includes(o.sandbox))
    return {
      error: `error: invalid value '${o.sandbox}' for '--sandbox <SANDBOX_MODE>'\n  [possible values: ${SANDBOXES.join(", ")}]\n\nFor more information, try '--help'.\n`,
      code: 2,
    };
  const sandbox = o.bypass ? "danger-full-access" : (o.sandbox ?? (o.fullAuto ? "workspace-write" : "read-only"));
  const dir = o.cd ? path.resolve(cwd, o.cd) : cwd;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { error: "Error: No such file or directory (os error 2)\n", code: 1 };
  if (!o.skipGit && !inGitRepo(dir))
    return { error: "Not inside a trusted directory and --skip-git-repo-check was not specified.\n", code: 1 };
  const images = (o.image ?? []).flatMap((/** @type {string} */ v) => v.split(",")).filter(Boolean);
  const prompt = words[0] === undefined || words[0] === "-" ? null : words[0];
  return {
    cwd: dir,
    prompt,
    stdin: prompt === null ? "text" : "none",
    resume,
    model: o.model ?? "gpt-5-codex",
    writeMode: sandbox === "read-only" ? "readonly" : "allow",
    writeModeNote: sandbox === "read-only" ? "the sandbox is read-only" : undefined,
    output: o.json ? "jsonl" : "text",
    images,
    files: [],
    thinking: true,
    opts: { ...o, sandbox },
  };
}

export const newSessionId = uuidV7;

/**
 * `resume --last`: the newest thread in this folder.
 * @param {string} id
 * @param {import("../sessions.mjs").SessionRecord[]} sessions  this dialect's sessions in cwd, oldest first
 */
export function resolveResume(id, sessions) {
  if (id === "--last") return sessions.length ? sessions[sessions.length - 1].id : null;
  return id;
}

/**
 * codex exec resume with an id it can't find starts a fresh thread instead.
 * @returns {"new"}
 */
export function unknownSession() {
  return "new";
}

export function noPrompt() {
  return { stderr: "No prompt provided. Either specify one as an argument or pipe the prompt into stdin.\n", code: 1 };
}

/** "Mar 10th, 2026 3:39 AM" in local time. @param {Date} d */
function tryAgainAt(d) {
  const mon = d.toLocaleString("en-US", { month: "short" });
  const day = d.getDate();
  const suf = day % 10 === 1 && day !== 11 ? "st" : day % 10 === 2 && day !== 12 ? "nd" : day % 10 === 3 && day !== 13 ? "rd" : "th";
  const h = d.getHours() % 12 || 12;
  return `${mon} ${day}${suf}, ${d.getFullYear()} ${h}:${String(d.getMinutes()).padStart(2, "0")} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

/** @param {string} s */
const shq = (s) => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * @param {import("../turn.mjs").TurnCtx} ctx
 * @returns {Generator<import("../io.mjs").Item>}
 */
export function* render(ctx) {
  let n = 0;
  const itemId = () => `item_${n++}`;
  yield { tag: "start", line: { type: "thread.started", thread_id: ctx.sessionId } };
  yield { tag: "start", line: { type: "turn.started" } };
  yield { tag: "started" };

  if (ctx.faults.ratelimit || ctx.faults.auth) {
    const message = ctx.faults.ratelimit
      ? `You've hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/codex/settings/usage to purchase more credits or try again at ${tryAgainAt(resetTime())}.`
      : "unexpected status 401 Unauthorized: Missing bearer or basic authentication in header";
    yield { tag: "error", line: { type: "error", message } };
    ctx.finalText = message;
    ctx.exitCode = 1;
    yield { tag: "final", line: { type: "turn.failed", error: { message } } };
    return;
  }

  const promptTokens = tokens(ctx.prompt) + ctx.images * 1000;
  const reasoning = thinkingText(ctx);
  let output = tokens(reasoning);
  let toolTokens = 0;
  // The reasoning summary is the first text the user sees (and where a crash strikes).
  yield {
    tag: "text",
    line: { type: "item.completed", item: { id: itemId(), type: "reasoning", text: `**Planning the change**\n\n${reasoning}` } },
  };

  if (showsTools(ctx)) {
    const doc = ctx.actions.find((a) => a.kind === "tick" || a.kind === "halt");
    if (doc) {
      const id = itemId();
      const command = `bash -lc ${shq(`cat ${shq(doc.rel)}`)}`;
      yield {
        tag: "tool",
        line: {
          type: "item.started",
          item: { id, type: "command_execution", command, aggregated_output: "", exit_code: null, status: "in_progress" },
        },
      };
      const out = (doc.before ?? "").slice(0, 10_000);
      toolTokens += tokens(out);
      yield {
        tag: "tool",
        line: {
          type: "item.completed",
          item: { id, type: "command_execution", command, aggregated_output: out, exit_code: 0, status: "completed" },
        },
      };
    }
    for (const a of ctx.actions) {
      const r = runAction(ctx, a, "patch rejected: writing is blocked by the read-only sandbox");
      output += tokens(a.kind === "write" ? (a.content ?? "") : `${a.oldLine ?? ""}${a.newLine ?? ""}`);
      const kind = a.kind === "write" && !a.exists ? "add" : "update";
      yield {
        tag: "tool",
        line: {
          type: "item.completed",
          item: { id: itemId(), type: "file_change", changes: [{ path: a.abs, kind }], status: r.ok ? "completed" : "failed" },
        },
      };
    }
  }

  const reply = chunk(ctx, replyText(ctx), 1);
  ctx.finalText = reply.join("");
  output += tokens(ctx.finalText);
  for (const t of reply) yield { tag: "text", line: { type: "item.completed", item: { id: itemId(), type: "agent_message", text: t } } };
  ctx.inputTokens = promptTokens + toolTokens;
  ctx.outputTokens = output;
  // After `exec resume`, codex reports the whole thread's usage, not the turn's.
  const turnUsage = { input: ctx.cacheRead + promptTokens + toolTokens, cached: ctx.cacheRead, output };
  const prior = ctx.prior.usage;
  ctx.reportedUsage = {
    input: prior.input + turnUsage.input,
    cached: prior.cached + turnUsage.cached,
    output: prior.output + turnUsage.output,
  };
  yield {
    tag: "final",
    line: {
      type: "turn.completed",
      usage: {
        input_tokens: ctx.reportedUsage.input,
        cached_input_tokens: ctx.reportedUsage.cached,
        output_tokens: ctx.reportedUsage.output,
      },
    },
  };
}

/** @param {import("../turn.mjs").TurnCtx} _ctx @returns {[string, object]} */
export function malformed(_ctx) {
  const full = JSON.stringify({ type: "item.completed", item: { id: "item_99", type: "agent_message", text: "This line is cut short" } });
  return [full.slice(0, Math.floor(full.length / 2)), { type: "maestro_sim.probe", item: { id: "item_98", type: "unknown_kind" } }];
}

/** @param {import("../turn.mjs").TurnCtx} _ctx */
export function crashText(_ctx) {
  return [
    "thread 'main' panicked at exec/src/event_processor_with_jsonl_output.rs:212:41:",
    "called `Option::unwrap()` on a `None` value",
    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    "maestro-sim: simulated crash (MAESTRO_SIM_FAULT=crash)",
    "",
  ].join("\n");
}

/** @param {import("../turn.mjs").TurnCtx} ctx */
export function summary(ctx) {
  return ctx.finalText;
}

export const _test = { tryAgainAt };
