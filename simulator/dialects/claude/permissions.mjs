// Claude Code's permission check for one tool call, as the pinned 2.1.330 does it with
// `--permission-prompt-tool stdio`: --allowedTools rules (Tool, Tool(exact), Tool(prefix:*),
// Tool(prefix *)), the permission mode, and the `can_use_tool` control_request line it prints
// when it must ask (field order and suggestions as the real one).
import path from "node:path";
import { uuidV4 } from "../../ids.mjs";
import { parts, words } from "../../command.mjs";
import { resolveInside } from "../../work.mjs";

const FILE_COMMANDS = ["touch", "mkdir"];

/** `--allowedTools A,B --allowedTools C` → ["A", "B", "C"] (commas inside brackets kept). @param {string[]|undefined} vals */
export function rulesOf(vals) {
  /** @type {string[]} */
  const out = [];
  for (const v of vals ?? []) {
    let depth = 0;
    let cur = "";
    for (const ch of v) {
      if (ch === "(") depth++;
      if (ch === ")") depth = Math.max(0, depth - 1);
      if ((ch === "," || ch === " ") && depth === 0) {
        if (cur.trim()) out.push(cur.trim());
        cur = "";
      } else cur += ch;
    }
    if (cur.trim()) out.push(cur.trim());
  }
  return out;
}

/** A rule's content against one value: exact, `prefix:*`, `prefix *`, or a `*` glob. @param {string} pat @param {string} v */
function contentMatches(pat, v) {
  if (pat.endsWith(":*")) {
    const p = pat.slice(0, -2);
    return v === p || v.startsWith(p + " ");
  }
  if (pat.endsWith(" *") && !pat.slice(0, -2).includes("*")) {
    const p = pat.slice(0, -2);
    return v === p || v.startsWith(p + " ");
  }
  if (pat.includes("*")) {
    const re = new RegExp(
      "^" +
        pat
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*") +
        "$",
      "s",
    );
    return re.test(v);
  }
  return v === pat;
}

/**
 * Does one rule allow this call? Bash rules hold per simple command (the caller checks each part).
 * @param {string} rule @param {string} tool @param {string} value  the command part or the file path
 * @param {string} cwd
 */
function ruleAllows(rule, tool, value, cwd) {
  const m = /^([A-Za-z][\w-]*)(?:\((.*)\))?$/s.exec(rule);
  if (!m || m[1] !== tool) return false;
  if (m[2] === undefined || m[2] === "*") return true;
  if (tool === "Bash") return contentMatches(m[2], value);
  return contentMatches(m[2], value) || contentMatches(m[2], path.relative(cwd, value));
}

/**
 * @typedef {{name: string, input: Record<string, any>}} Call
 * @typedef {"run" | "ask" | {deny: string}} Verdict
 */

/**
 * What the CLI does with a call before running it.
 * @param {import("../../turn.mjs").Invocation} inv
 * @param {Call} call
 * @returns {Verdict}
 */
export function verdict(inv, call) {
  const stdio = inv.opts.permissionPromptTool === "stdio";
  const streamIn = inv.stdin === "claude-jsonl";
  const mode = inv.opts.permissionMode;
  const rules = rulesOf(inv.opts.allowedTools);
  const ask = () => (stdio ? (streamIn ? "ask" : { deny: "Tool permission request failed: AbortError: Stream closed" }) : null);
  if (call.name === "AskUserQuestion") return ask() ?? { deny: "AskUserQuestion is not available" };
  if (call.name === "Bash") {
    const cmdParts = parts(String(call.input.command ?? ""));
    if (cmdParts.length && cmdParts.every((p) => rules.some((r) => ruleAllows(r, "Bash", p, inv.cwd)))) return "run";
    if (mode === "bypassPermissions") return "run";
    if (mode === "acceptEdits" && cmdParts.every((p) => FILE_COMMANDS.includes(words(p)[0] ?? ""))) return "run";
    return ask() ?? { deny: "This command requires approval" };
  }
  const file = String(call.input.file_path ?? "");
  if (rules.some((r) => ruleAllows(r, call.name, file, inv.cwd))) return "run";
  if (mode === "bypassPermissions") return "run";
  if (mode === "acceptEdits" && resolveInside(inv.cwd, file).inside) return "run";
  return ask() ?? { deny: "" };
}

/**
 * The `can_use_tool` request for a call, as 2.1.330 prints it.
 * @param {import("../../turn.mjs").Invocation} inv
 * @param {Call & {id: string}} call
 */
export function canUseToolLine(inv, call) {
  const requestId = uuidV4();
  /** @type {Record<string, any>} */
  const request = { subtype: "can_use_tool", tool_name: call.name, display_name: call.name, input: call.input };
  if (call.name === "AskUserQuestion") {
    request.tool_use_id = call.id;
    request.requires_user_interaction = true;
    return { requestId, line: { type: "control_request", request_id: requestId, request } };
  }
  if (call.name === "Bash") {
    const cmd = String(call.input.command ?? "");
    const first = words(parts(cmd)[0] ?? "");
    const fileCmd = ["touch", "mkdir", "rm"].includes(first[0] ?? "");
    request.description = call.input.description ?? cmd;
    request.permission_suggestions = [
      {
        type: "addRules",
        rules: [{ toolName: "Bash", ruleContent: fileCmd ? cmd : `${first.slice(0, 2).join(" ")} *` }],
        behavior: "allow",
        destination: "localSettings",
      },
      ...(fileCmd
        ? [
            { type: "addDirectories", directories: [inv.cwd], destination: "session" },
            { type: "setMode", mode: "acceptEdits", destination: "session" },
          ]
        : []),
    ];
    const target = first.slice(1).find((w) => !w.startsWith("-"));
    if (fileCmd && target) request.blocked_path = path.resolve(inv.cwd, target);
    if (!fileCmd) {
      request.decision_reason = "This command requires approval";
      request.decision_reason_type = "other";
    }
  } else {
    request.description = path.basename(String(call.input.file_path ?? ""));
    request.permission_suggestions = [{ type: "setMode", mode: "acceptEdits", destination: "session" }];
  }
  request.tool_use_id = call.id;
  return { requestId, line: { type: "control_request", request_id: requestId, request } };
}

/** The stock text the model gets when a person stops the turn at a request. */
export const REJECTED_TEXT =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";
