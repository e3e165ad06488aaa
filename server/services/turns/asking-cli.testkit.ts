/**
 * A fake claude that speaks the control protocol (as verified against claude 2.1.330): it reads
 * the prompt as a stream-json user message, asks `can_use_tool` before each tool call, applies
 * the answer (allow runs `touch FILE` with the possibly edited input; deny reports the message to
 * "the model"), then prints its result and waits for stdin to close. SIGINT while asking prints
 * control_cancel_request and exits 0 without a result, as the real CLI does.
 *
 * The prompt says what to ask: `touch a.txt`, `touch a.txt && touch b.txt` (two asks in a row),
 * or `question` (AskUserQuestion). It writes the argv it got to `argv.json` in its folder.
 */
import fs from "node:fs";
import path from "node:path";

const SCRIPT = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const SESSION = "22222222-2222-4222-8222-222222222222";
fs.writeFileSync(path.join(process.cwd(), "argv.json"), JSON.stringify(process.argv.slice(2)));
let queue = [];
let asking = null;
let n = 0;
let said = [];
function askNext() {
  const call = queue.shift();
  if (!call) {
    out({ type: "assistant", message: { id: "msg_end", role: "assistant", content: [{ type: "text", text: said.join(" | ") || "nothing to do" }], usage: { input_tokens: 1, output_tokens: 1 } }, parent_tool_use_id: null, session_id: SESSION });
    out({ type: "result", subtype: "success", is_error: false, result: said.join(" | "), session_id: SESSION, total_cost_usd: 0.001, usage: { input_tokens: 1, output_tokens: 1 } });
    return;
  }
  n += 1;
  const id = "toolu_" + n;
  out({ type: "assistant", message: { id: "msg_" + n, role: "assistant", content: [{ type: "tool_use", id, name: call.tool, input: call.input }], usage: { input_tokens: 1, output_tokens: 1 } }, parent_tool_use_id: null, session_id: SESSION });
  asking = { requestId: "req-" + n, id, call };
  const suggestions = call.tool === "Bash" ? [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: call.input.command }], behavior: "allow", destination: "localSettings" }] : [];
  out({ type: "control_request", request_id: asking.requestId, request: { subtype: "can_use_tool", tool_name: call.tool, display_name: call.tool, input: call.input, permission_suggestions: suggestions, tool_use_id: id, ...(call.tool === "AskUserQuestion" ? { requires_user_interaction: true } : {}) } });
}
function answer(r) {
  const { id, call } = asking;
  asking = null;
  let content;
  let isError = false;
  if (r.behavior === "allow") {
    const input = r.updatedInput || call.input;
    if (call.tool === "Bash") {
      const file = String(input.command).replace(/^touch\s+/, "");
      fs.writeFileSync(path.join(process.cwd(), file), "");
      content = "(Bash completed with no output)";
      said.push("allowed " + input.command + (r.updatedPermissions ? " rules=" + JSON.stringify(r.updatedPermissions) : ""));
    } else {
      content = "answers=" + JSON.stringify(input.answers);
      said.push(content);
    }
  } else {
    content = r.message;
    isError = true;
    said.push("denied: " + r.message);
  }
  out({ type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: id, content, is_error: isError }] }, session_id: SESSION });
  askNext();
}
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const o = JSON.parse(line);
  if (o.type === "user") {
    const text = o.message.content.map((b) => b.text || "").join("");
    out({ type: "system", subtype: "init", session_id: SESSION, model: "fake", slash_commands: [] });
    queue = text === "question"
      ? [{ tool: "AskUserQuestion", input: { questions: [{ question: "Which colour?", header: "Colour", options: [{ label: "Red", description: "r" }, { label: "Blue", description: "b" }], multiSelect: false }] } }]
      : text.split("&&").map((c) => ({ tool: "Bash", input: { command: c.trim(), description: "Run it" } }));
    askNext();
  } else if (o.type === "control_response" && asking && o.response.request_id === asking.requestId) {
    answer(o.response.response);
  }
});
rl.on("close", () => {
  if (asking) answer({ behavior: "deny", message: "Tool permission request failed: AbortError: Tool permission stream closed before response received" });
  process.exit(0);
});
process.on("SIGINT", () => {
  if (asking) out({ type: "control_cancel_request", request_id: asking.requestId });
  process.exit(0);
});
`;

/** Writes the fake CLI into `dir` and returns its path. */
export function writeAskingCli(dir: string): string {
  const file = path.join(dir, "asking-claude");
  fs.writeFileSync(file, `#!${process.execPath}\n${SCRIPT}\n`, { mode: 0o755 });
  return file;
}

/** Polls `fn` every 20 ms until it gives something truthy (the asking CLI is a real process). */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
