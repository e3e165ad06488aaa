// Claude Code argv: `claude -p --verbose --output-format stream-json …` → an invocation, or the CLI's own error text.
import { parseArgv } from "../../args.mjs";
import { isUuid } from "../../ids.mjs";

const DEFAULT_MODEL = "claude-sonnet-4-5-20250929";
/** @type {Record<string, string>} */
const ALIASES = {
  sonnet: DEFAULT_MODEL,
  opus: "claude-opus-4-5-20251101",
  haiku: "claude-haiku-4-5-20251001",
  opusplan: DEFAULT_MODEL,
};
const PERMISSION_MODES = ["acceptEdits", "bypassPermissions", "default", "dontAsk", "plan"];

/** @type {import("../../args.mjs").OptSpec[]} */
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
 * @returns {import("../../turn.mjs").Invocation | {error: string, code: number}}
 */
export function parse(argv, env, cwd) {
  const p = parseArgv(argv, SPECS);
  if (p.unknown) return { error: `error: unknown option '${p.unknown.split("=")[0]}'\n`, code: 1 };
  if (p.missingValue) return { error: `error: option '${p.missingValue}' argument missing\n`, code: 1 };
  const o = p.opts;
  const fmt = o.outputFormat ?? "text";
  if (!["text", "json", "stream-json"].includes(fmt))
    return {
      error: `error: option '--output-format <format>' argument '${fmt}' is invalid. Allowed choices are text, json, stream-json.\n`,
      code: 1,
    };
  const inFmt = o.inputFormat ?? "text";
  if (!["text", "stream-json"].includes(inFmt))
    return {
      error: `error: option '--input-format <format>' argument '${inFmt}' is invalid. Allowed choices are text, stream-json.\n`,
      code: 1,
    };
  if (o.permissionMode !== undefined && !PERMISSION_MODES.includes(o.permissionMode))
    return {
      error: `error: option '--permission-mode <mode>' argument '${o.permissionMode}' is invalid. Allowed choices are ${PERMISSION_MODES.join(", ")}.\n`,
      code: 1,
    };
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
  const permissionMode = o.skipPermissions ? "bypassPermissions" : (o.permissionMode ?? "default");
  /** @type {import("../../turn.mjs").WriteMode} */
  const writeMode =
    permissionMode === "bypassPermissions" || permissionMode === "acceptEdits" ? "allow" : permissionMode === "plan" ? "plan" : "deny";
  const words = [...p.positionals, ...p.rest];
  const prompt = words.length ? words.join(" ") : null;
  return {
    cwd,
    prompt: inFmt === "stream-json" ? null : prompt,
    stdin: inFmt === "stream-json" ? "claude-jsonl" : "none",
    resume: o.resume,
    sessionId: o.sessionId,
    model: o.model ? (ALIASES[o.model] ?? o.model) : DEFAULT_MODEL,
    writeMode,
    writeModeNote:
      writeMode === "plan"
        ? "plan mode makes no changes"
        : writeMode === "deny"
          ? `permission mode ${permissionMode} does not allow edits in --print mode`
          : undefined,
    output: fmt === "stream-json" ? "jsonl" : fmt === "json" ? "json" : "text",
    images: [],
    files: [],
    thinking: true,
    opts: { ...o, permissionMode, continue: !!o.continue },
  };
}
