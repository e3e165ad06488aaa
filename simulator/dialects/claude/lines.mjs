// Claude Code stream-json line builders: the init line, assistant messages, tool calls and their results.
import { uuidV4 } from "../../ids.mjs";

const VERSION = "2.1.117";
const TOOLS = [
  "Task",
  "Bash",
  "Glob",
  "Grep",
  "ExitPlanMode",
  "Read",
  "Edit",
  "Write",
  "NotebookEdit",
  "WebFetch",
  "TodoWrite",
  "WebSearch",
  "BashOutput",
  "KillShell",
  "Skill",
  "SlashCommand",
];
const SLASH_COMMANDS = [
  "compact",
  "context",
  "cost",
  "init",
  "output-style:new",
  "pr-comments",
  "release-notes",
  "todos",
  "review",
  "security-review",
];

/** @param {import("../../turn.mjs").TurnCtx} ctx */
export function initLine(ctx) {
  return {
    type: "system",
    subtype: "init",
    cwd: ctx.cwd,
    session_id: ctx.sessionId,
    // AskUserQuestion is offered only with the stdio permission prompt tool (as 2.1.330).
    tools: ctx.inv.opts.permissionPromptTool === "stdio" ? [...TOOLS, "AskUserQuestion"] : TOOLS,
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
 * @param {import("../../turn.mjs").TurnCtx} ctx
 * @param {string} model
 * @param {string} id
 * @param {object} block
 * @param {object} usage
 * @param {string} [error]
 */
export function assistantLine(ctx, model, id, block, usage, error) {
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

/** @param {import("../../work.mjs").Action} a */
export function toolInput(a) {
  if (a.kind === "command") return { name: "Bash", input: { command: a.command ?? "", description: `Run ${a.command ?? ""}` } };
  if (a.kind === "question") return { name: "AskUserQuestion", input: { questions: a.questions ?? [] } };
  if (a.kind === "write") return { name: "Write", input: { file_path: a.abs, content: a.content ?? "" } };
  if (a.kind === "halt") {
    const lines = (a.before ?? "").split("\n").map((l) => l.replace(/\r$/, ""));
    const last = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
    return {
      name: "Edit",
      input: {
        file_path: a.abs,
        old_string: last,
        new_string: `${last}\n<!-- maestro:halt: simulator was told to halt -->`,
        replace_all: false,
      },
    };
  }
  return { name: "Edit", input: { file_path: a.abs, old_string: a.oldLine ?? "", new_string: a.newLine ?? "", replace_all: false } };
}

/**
 * @param {import("../../work.mjs").Action} a
 * @param {import("../../work.mjs").ActionResult} r
 */
export function toolResult(a, r) {
  if (r.denied || r.refused)
    return {
      content: `Claude requested permissions to write to ${a.abs}, but you haven't granted it yet.`,
      isError: true,
      extra: `Error: Claude requested permissions to write to ${a.abs}, but you haven't granted it yet.`,
    };
  if (!r.ok) return { content: `<tool_use_error>${r.error}</tool_use_error>`, isError: true, extra: `Error: ${r.error}` };
  if (a.kind === "write" && r.created)
    return {
      content: `File created successfully at: ${a.abs}`,
      isError: false,
      extra: { type: "create", filePath: a.abs, content: a.content, structuredPatch: [] },
    };
  const shown =
    a.kind === "tick"
      ? (a.newLine ?? "")
      : a.kind === "halt"
        ? "<!-- maestro:halt: simulator was told to halt -->"
        : (a.content ?? "").split("\n")[0];
  const line = a.kind === "tick" ? (a.line ?? 1) : 1;
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
