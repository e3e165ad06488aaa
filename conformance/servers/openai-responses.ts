/**
 * A scripted OpenAI Responses API server for the real `codex` CLI (a model provider with
 * `base_url = "http://127.0.0.1:PORT/v1"`, `wire_api = "responses"`).
 *
 * POST /v1/responses answers as SSE: response.created → response.in_progress → per output item
 * response.output_item.added, its deltas (output_text / function_call_arguments /
 * custom_tool_call_input) and response.output_item.done → response.completed with usage (codex
 * requires response.completed; without it the turn fails as "stream closed before
 * response.completed").
 *
 * A file-writing step calls `apply_patch` (a freeform custom tool, or a function tool taking
 * {input}) with an "Add File" patch; when the request offers no apply_patch but a shell tool
 * (exec_command / shell / local_shell), it writes the file with a shell command instead. The next
 * request carries a function_call_output / custom_tool_call_output with the same call_id.
 * GET /v1/models answers an empty list; anything else is a 404.
 */
import path from "node:path";
import { chunks, DEFAULT_USAGE, json, sse, startScriptedServer, type HandlerContext, type ScriptedServer, type Usage } from "./common";

type ToolCallItem =
  | { type: "function_call"; name: string; callId: string; arguments: string }
  | { type: "custom_tool_call"; name: string; callId: string; input: string };
type OutItem = { type: "message"; text: string } | ToolCallItem;

/** An apply_patch "Add File" patch: every content line prefixed with "+". */
export function addFilePatch(file: string, content: string): string {
  const lines = content.endsWith("\n") ? content.slice(0, -1).split("\n") : content.split("\n");
  return ["*** Begin Patch", `*** Add File: ${file}`, ...lines.map((l) => `+${l}`), "*** End Patch", ""].join("\n");
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function usageJson(u: Usage) {
  const input = u.input + (u.cacheRead ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + u.output,
  };
}

function streamResponse(ctx: HandlerContext, model: string, items: OutItem[], usage: Usage) {
  const s = sse(ctx.res);
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>) => s.send({ type, sequence_number: seq++, ...data }, type);
  const id = ctx.id("resp_conf");
  const base = { id, object: "response", created_at: Math.floor(Date.now() / 1000), model, tools: [], parallel_tool_calls: false };
  send("response.created", { response: { ...base, status: "in_progress", output: [] } });
  send("response.in_progress", { response: { ...base, status: "in_progress", output: [] } });
  const done: unknown[] = [];
  items.forEach((it, output_index) => {
    if (it.type === "message") {
      const item_id = ctx.id("msg_conf");
      send("response.output_item.added", {
        output_index,
        item: { id: item_id, type: "message", status: "in_progress", role: "assistant", content: [] },
      });
      send("response.content_part.added", {
        item_id,
        output_index,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      });
      for (const delta of chunks(it.text))
        send("response.output_text.delta", { item_id, output_index, content_index: 0, delta, logprobs: [] });
      send("response.output_text.done", { item_id, output_index, content_index: 0, text: it.text, logprobs: [] });
      const part = { type: "output_text", text: it.text, annotations: [], logprobs: [] };
      send("response.content_part.done", { item_id, output_index, content_index: 0, part });
      const item = { id: item_id, type: "message", status: "completed", role: "assistant", content: [part] };
      send("response.output_item.done", { output_index, item });
      done.push(item);
    } else if (it.type === "function_call") {
      const item_id = ctx.id("fc_conf");
      send("response.output_item.added", {
        output_index,
        item: { id: item_id, type: "function_call", status: "in_progress", call_id: it.callId, name: it.name, arguments: "" },
      });
      for (const delta of chunks(it.arguments)) send("response.function_call_arguments.delta", { item_id, output_index, delta });
      send("response.function_call_arguments.done", { item_id, output_index, arguments: it.arguments });
      const item = { id: item_id, type: "function_call", status: "completed", call_id: it.callId, name: it.name, arguments: it.arguments };
      send("response.output_item.done", { output_index, item });
      done.push(item);
    } else {
      const item_id = ctx.id("ctc_conf");
      send("response.output_item.added", {
        output_index,
        item: { id: item_id, type: "custom_tool_call", status: "in_progress", call_id: it.callId, name: it.name, input: "" },
      });
      for (const delta of chunks(it.input)) send("response.custom_tool_call_input.delta", { item_id, output_index, delta });
      send("response.custom_tool_call_input.done", { item_id, output_index, input: it.input });
      const item = { id: item_id, type: "custom_tool_call", status: "completed", call_id: it.callId, name: it.name, input: it.input };
      send("response.output_item.done", { output_index, item });
      done.push(item);
    }
  });
  send("response.completed", { response: { ...base, status: "completed", output: done, usage: usageJson(usage) } });
  s.end();
}

type Tool = { type?: string; name?: string; function?: { name?: string } };
const toolName = (t: Tool) => t.name ?? t.function?.name;

/** The tool call that writes the file, among the tools the request offers. */
function writeCall(tools: Tool[], file: string, content: string, callId: string): ToolCallItem | string {
  const patch = addFilePatch(file, content);
  const applyPatch = tools.find((t) => toolName(t) === "apply_patch");
  if (applyPatch?.type === "custom") return { type: "custom_tool_call", name: "apply_patch", callId, input: patch };
  if (applyPatch) return { type: "function_call", name: "apply_patch", callId, arguments: JSON.stringify({ input: patch }) };
  const dir = path.dirname(file);
  const command = `mkdir -p ${shellQuote(dir)} && printf '%s' ${shellQuote(content)} > ${shellQuote(file)}`;
  const exec = tools.find((t) => toolName(t) === "exec_command");
  if (exec) return { type: "function_call", name: "exec_command", callId, arguments: JSON.stringify({ cmd: command }) };
  const shell = tools.find((t) => toolName(t) === "shell" || toolName(t) === "shell_command");
  if (shell)
    return {
      type: "function_call",
      name: toolName(shell)!,
      callId,
      arguments: JSON.stringify(toolName(shell) === "shell" ? { command: ["bash", "-lc", command] } : { command }),
    };
  return `no apply_patch, exec_command or shell tool among ${tools.map(toolName).join(", ")}`;
}

export function startResponsesServer(): Promise<ScriptedServer> {
  return startScriptedServer("openai-responses", (ctx) => {
    const p = ctx.url.pathname;
    if (ctx.req.method === "GET" && p === "/v1/models") {
      ctx.record.kind = "models";
      return json(ctx.res, 200, { object: "list", data: [], models: [] });
    }
    if (ctx.req.method !== "POST" || p !== "/v1/responses") {
      ctx.record.kind = "other";
      return json(ctx.res, 404, { error: { message: `Not found: ${ctx.req.method} ${p}`, type: "invalid_request_error" } });
    }
    const body = ctx.body ?? {};
    const model = typeof body.model === "string" ? body.model : "gpt-5.5";
    const tools: Tool[] = Array.isArray(body.tools) ? body.tools : [];
    const step = ctx.nextStep();
    if (!step) return streamResponse(ctx, model, [{ type: "message", text: "SCRIPT EXHAUSTED" }], DEFAULT_USAGE);
    const usage = step.usage ?? DEFAULT_USAGE;
    if ("writeFile" in step) {
      const call = writeCall(tools, step.writeFile.path, step.writeFile.content, ctx.id("call_conf"));
      if (typeof call === "string") {
        ctx.problem(call);
        return streamResponse(ctx, model, [{ type: "message", text: "NO WRITE TOOL" }], usage);
      }
      ctx.record.toolCall = {
        name: call.name,
        callId: call.callId,
        arguments: call.type === "custom_tool_call" ? call.input : JSON.parse(call.arguments),
      };
      return streamResponse(ctx, model, [...(step.text ? [{ type: "message" as const, text: step.text }] : []), call], usage);
    }
    if ("toolUse" in step) ctx.problem("toolUse steps are for the Anthropic server only");
    return streamResponse(ctx, model, [{ type: "message", text: step.text ?? "" }], usage);
  });
}

/** The tool outputs a Responses request sends back (function_call_output / custom_tool_call_output). */
export function responsesToolOutputs(body: any): { callId: string; output: string }[] {
  const out: { callId: string; output: string }[] = [];
  for (const it of Array.isArray(body?.input) ? body.input : []) {
    if (it?.type !== "function_call_output" && it?.type !== "custom_tool_call_output") continue;
    const o = it.output;
    const text =
      typeof o === "string" ? o : Array.isArray(o) ? o.map((c: any) => c?.text ?? "").join("\n") : JSON.stringify(o?.content ?? o ?? "");
    out.push({ callId: it.call_id, output: text });
  }
  return out;
}
