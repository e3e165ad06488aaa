// The control channel of claude's stream-json input (`--permission-prompt-tool stdio`): one
// request waits at a time; its answer (`control_response`), an interrupt (`control_request`
// interrupt), stdin closing or SIGINT ends it, as the pinned CLI does. MAESTRO_SIM_TRACE=<file>
// appends a timestamped line for each request written and each answer read (for the bench; the
// behaviour is the same without it). The wall clock, so another process can compare.
import fs from "node:fs";
import { writeLine } from "./io.mjs";

/**
 * @typedef {{behavior: "allow", updatedInput?: Record<string, any>} | {behavior: "deny", message: string} | {interrupt: true}} Decision
 * @typedef {{requestId: string, resolve: (d: Decision) => void, onSigint: () => object[]}} Pending
 */

/** @type {Pending | null} */
let pending = null;
let inputClosed = false;

/** @param {string} ev @param {string} requestId */
function trace(ev, requestId) {
  const file = process.env.MAESTRO_SIM_TRACE;
  if (!file) return;
  try {
    fs.appendFileSync(file, JSON.stringify({ ev, requestId, t: Date.now() }) + "\n");
  } catch {}
}

/**
 * Print a request and wait for its answer.
 * @param {{line: object, requestId: string, onSigint: () => object[]}} item
 * @returns {Promise<Decision>}
 */
export function ask(item) {
  // The real CLI fails every ask once its input is gone.
  if (inputClosed) return Promise.resolve({ behavior: "deny", message: "Tool permission request failed: AbortError: Stream closed" });
  return new Promise((resolve) => {
    pending = { requestId: item.requestId, resolve, onSigint: item.onSigint };
    writeLine(item.line);
    trace("ask", item.requestId);
  });
}

/** @param {Decision} d */
function settle(d) {
  const p = pending;
  pending = null;
  p?.resolve(d);
}

/**
 * A control line from stdin.
 * @param {Record<string, any>} msg
 */
export function onControlLine(msg) {
  if (msg.type === "control_response") {
    const r = msg.response ?? {};
    if (!pending || r.request_id !== pending.requestId) return;
    trace("reply", pending.requestId);
    if (r.subtype === "error")
      return settle({ behavior: "deny", message: `Tool permission request failed: Error: ${r.error ?? "unknown"}` });
    const res = r.response ?? {};
    if (res.behavior === "allow")
      return settle({
        behavior: "allow",
        updatedInput: res.updatedInput && typeof res.updatedInput === "object" ? res.updatedInput : undefined,
      });
    return settle({ behavior: "deny", message: typeof res.message === "string" ? res.message : "" });
  }
  if (msg.type === "control_request" && msg.request?.subtype === "interrupt") {
    if (pending) writeLine({ type: "control_cancel_request", request_id: pending.requestId });
    writeLine({ type: "control_response", response: { subtype: "success", request_id: msg.request_id, response: { still_queued: [] } } });
    if (pending) settle({ interrupt: true });
  }
}

/** stdin ended: a waiting request is denied (the model carries on). */
export function inputEnded(text = "Tool permission request failed: AbortError: Tool permission stream closed before response received") {
  inputClosed = true;
  if (pending) settle({ behavior: "deny", message: text });
}

/**
 * SIGINT: while a request waits, the CLI withdraws it, prints the rejected result and the
 * interrupted marker, and exits 0 with no result line. Returns false when nothing waits.
 */
export function sigintWhileAsking() {
  if (!pending) return false;
  const p = pending;
  pending = null;
  writeLine({ type: "control_cancel_request", request_id: p.requestId });
  for (const l of p.onSigint()) writeLine(l);
  return true;
}
