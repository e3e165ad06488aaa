// One tool call of a claude turn: the permission check, the `can_use_tool` request when the CLI
// must ask (answered on stdin through the control channel), then the call itself and the
// tool_result line, as the pinned 2.1.330 prints them.
import { uuidV4 } from "../../ids.mjs";
import { runCommand } from "../../command.mjs";
import { applyAction, displayPath, resolveInside } from "../../work.mjs";
import { canUseToolLine, REJECTED_TEXT, verdict } from "./permissions.mjs";
import { toolResult } from "./lines.mjs";

/**
 * @typedef {{a: import("../../work.mjs").Action, id: string, name: string, input: Record<string, any>}} Call
 * @typedef {{content: string, isError: boolean, extra: unknown}} ToolOut
 * @typedef {{out: ToolOut, meta?: object, denied?: boolean, interrupted?: boolean, order?: "deny"}} CallResult
 */

/** The line that ends a turn stopped at a request. @param {import("../../turn.mjs").TurnCtx} ctx */
export function interruptedLine(ctx) {
  return {
    type: "user",
    message: { role: "user", content: [{ type: "text", text: "[Request interrupted by user for tool use]" }] },
    parent_tool_use_id: null,
    session_id: ctx.sessionId,
    uuid: uuidV4(),
  };
}

/**
 * The tool_result line for a call.
 * @param {import("../../turn.mjs").TurnCtx} ctx @param {Call} c @param {CallResult} r
 */
export function resultLineOf(ctx, c, r) {
  const block =
    r.order === "deny"
      ? { type: "tool_result", content: r.out.content, is_error: true, tool_use_id: c.id }
      : { tool_use_id: c.id, type: "tool_result", content: r.out.content, ...(r.out.isError ? { is_error: true } : {}) };
  return {
    type: "user",
    message: { role: "user", content: [block] },
    parent_tool_use_id: null,
    session_id: ctx.sessionId,
    uuid: uuidV4(),
    tool_use_result: r.out.extra,
    ...(r.meta ? { tool_result_meta: [r.meta] } : {}),
  };
}

/**
 * Do the call with this input (an allow may have edited it).
 * @param {import("../../turn.mjs").TurnCtx} ctx @param {Call} c @param {Record<string, any>} input
 * @returns {ToolOut}
 */
function perform(ctx, c, input) {
  const a = c.a;
  if (a.kind === "command") {
    a.command = String(input.command ?? a.command ?? "");
    const r = runCommand(ctx.cwd, a.command);
    a.result = { ok: r.ok, error: r.ok ? undefined : r.output };
    if (r.ok)
      return {
        content: "(Bash completed with no output)",
        isError: false,
        extra: { stdout: "", stderr: "", interrupted: false, isImage: false },
      };
    const text = `Exit code ${r.code}\n${r.output}`;
    return { content: text, isError: true, extra: `Error: ${text}` };
  }
  if (a.kind === "question") {
    /** @type {Record<string, string>} */
    const answers = input.answers && typeof input.answers === "object" ? input.answers : {};
    a.answers = answers;
    a.result = { ok: true };
    const pairs = Object.entries(answers).map(([q, v]) => `"${q}"="${v}"`);
    return {
      content: `Your questions have been answered: ${pairs.join(", ")}. You can now continue with these answers in mind.`,
      isError: false,
      extra: { questions: a.questions, answers },
    };
  }
  if (a.kind === "write" && (input.file_path !== c.input.file_path || input.content !== c.input.content)) {
    const { abs, inside } = resolveInside(ctx.cwd, String(input.file_path ?? a.abs));
    a.abs = abs;
    a.rel = inside ? displayPath(ctx.cwd, abs) : abs;
    a.content = String(input.content ?? "");
    a.said = a.content.replace(/\n$/, "");
    if (!inside) a.refuse = `${abs} resolves outside the working folder (${ctx.cwd})`;
  }
  const r = applyAction(a);
  return toolResult(a, r);
}

/**
 * The permission check and the call. Yields the request (when asking) and returns the outcome.
 * @param {import("../../turn.mjs").TurnCtx} ctx @param {Call} c
 * @returns {Generator<import("../../io.mjs").Item, CallResult, any>}
 */
export function* runCall(ctx, c) {
  const a = c.a;
  if (a.refuse) {
    const r = (a.result = { ok: false, refused: true, error: a.refuse });
    return { out: toolResult(a, r), denied: true };
  }
  const v = verdict(ctx.inv, c);
  if (v === "run") return { out: perform(ctx, c, c.input) };
  if (typeof v === "object") {
    // Not asked (no stdio prompt tool, or its input is not stream-json): refused outright.
    if (v.deny && (a.kind === "command" || a.kind === "question" || ctx.inv.opts.permissionPromptTool === "stdio")) {
      a.result = { ok: false, denied: true, error: v.deny };
      return { out: { content: v.deny, isError: true, extra: `Error: ${v.deny}` }, denied: true };
    }
    const r = (a.result = { ok: false, denied: true, error: ctx.inv.writeModeNote ?? "writes are not allowed in this mode" });
    return { out: toolResult(a, r), denied: true };
  }
  const req = canUseToolLine(ctx.inv, c);
  const stopped = {
    out: { content: REJECTED_TEXT, isError: true, extra: `Error: ${REJECTED_TEXT}` },
    order: /** @type {const} */ ("deny"),
  };
  const d = yield {
    tag: "ask",
    line: req.line,
    requestId: req.requestId,
    onSigint: () => [resultLineOf(ctx, c, stopped), interruptedLine(ctx)],
  };
  const reject = { id: c.id, non_execution_kind: "permission-rule", permission_decision: { decision: "reject", source: "user_reject" } };
  if (!d || d.interrupt) {
    a.result = { ok: false, denied: true, error: "interrupted" };
    return { ...stopped, meta: reject, denied: true, interrupted: true };
  }
  if (d.behavior !== "allow") {
    const message = String(d.message ?? "");
    a.result = { ok: false, denied: true, error: message ? `permission denied (${message})` : "permission denied" };
    return { out: { content: message, isError: true, extra: `Error: ${message}` }, meta: reject, denied: true, order: "deny" };
  }
  const out = perform(ctx, c, d.updatedInput ?? c.input);
  return { out, meta: { id: c.id, permission_decision: { decision: "accept", source: "user_temporary" } } };
}
