/**
 * A scripted OpenAI Chat Completions server for the real `opencode` CLI (a provider with
 * `npm: "@ai-sdk/openai-compatible"`, `options.baseURL = "http://127.0.0.1:PORT/v1"`).
 *
 * POST /v1/chat/completions with `stream: true` answers as SSE chunks
 * (`object: "chat.completion.chunk"`): the first delta carries the role, then content pieces (or
 * tool_calls with the id and name first and the arguments in pieces), then a chunk with
 * `finish_reason` ("stop" / "tool_calls"), then a usage chunk with no choices, then `[DONE]`.
 * A file-writing step calls the request's `write` function ({filePath, content}); the next
 * request carries a `role: "tool"` message with the same tool_call_id.
 * Requests without tools (opencode's session title request) get a short title and do not take
 * a step. GET /v1/models lists one model; anything else is a 404.
 */
import { chunks, DEFAULT_USAGE, json, sse, startScriptedServer, type HandlerContext, type ScriptedServer, type Usage } from "./common";

export const OPENCODE_WRITE_TOOL = "write";
export const TITLE = "Conformance title";
/** Usage a side request (no tools) reports. */
export const CHAT_SIDE_USAGE: Usage = { input: 10, output: 2 };

type Reply = { text?: string; toolCall?: { id: string; name: string; arguments: string } };

function usageJson(u: Usage) {
  const prompt = u.input + (u.cacheRead ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
  };
}

function streamCompletion(ctx: HandlerContext, model: string, reply: Reply, usage: Usage) {
  const s = sse(ctx.res);
  const id = ctx.id("chatcmpl-conf");
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    s.send({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  if (reply.text) for (const piece of chunks(reply.text)) chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
  if (reply.toolCall) {
    const { id: callId, name, arguments: args } = reply.toolCall;
    chunk([
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: callId, type: "function", function: { name, arguments: "" } }] },
        finish_reason: null,
      },
    ]);
    for (const piece of chunks(args))
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null }]);
  }
  chunk([{ index: 0, delta: {}, finish_reason: reply.toolCall ? "tool_calls" : "stop" }]);
  chunk([], { usage: usageJson(usage) });
  s.send("[DONE]");
  s.end();
}

function plainCompletion(ctx: HandlerContext, model: string, text: string, usage: Usage) {
  json(ctx.res, 200, {
    id: ctx.id("chatcmpl-conf"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: usageJson(usage),
  });
}

type Tool = { type?: string; function?: { name?: string } };

export function startChatCompletionsServer(): Promise<ScriptedServer> {
  return startScriptedServer("chat-completions", (ctx) => {
    const p = ctx.url.pathname;
    if (ctx.req.method === "GET" && p === "/v1/models") {
      ctx.record.kind = "models";
      return json(ctx.res, 200, {
        object: "list",
        data: [{ id: "conformance-model", object: "model", created: 0, owned_by: "conformance" }],
      });
    }
    if (ctx.req.method !== "POST" || p !== "/v1/chat/completions") {
      ctx.record.kind = "other";
      return json(ctx.res, 404, { error: { message: `Not found: ${ctx.req.method} ${p}`, type: "invalid_request_error" } });
    }
    const body = ctx.body ?? {};
    const model = typeof body.model === "string" ? body.model : "conformance-model";
    const tools: Tool[] = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length === 0) {
      ctx.record.kind = "side";
      return body.stream
        ? streamCompletion(ctx, model, { text: TITLE }, CHAT_SIDE_USAGE)
        : plainCompletion(ctx, model, TITLE, CHAT_SIDE_USAGE);
    }
    const step = ctx.nextStep();
    if (!step) return streamCompletion(ctx, model, { text: "SCRIPT EXHAUSTED" }, DEFAULT_USAGE);
    const usage = step.usage ?? DEFAULT_USAGE;
    if ("writeFile" in step) {
      if (!tools.some((t) => t.function?.name === OPENCODE_WRITE_TOOL)) {
        ctx.problem(`no ${OPENCODE_WRITE_TOOL} tool among ${tools.map((t) => t.function?.name).join(", ")}`);
        return streamCompletion(ctx, model, { text: "NO WRITE TOOL" }, usage);
      }
      const callId = ctx.id("call_conf");
      const args = { filePath: step.writeFile.path, content: step.writeFile.content };
      ctx.record.toolCall = { name: OPENCODE_WRITE_TOOL, callId, arguments: args };
      return streamCompletion(
        ctx,
        model,
        { text: step.text, toolCall: { id: callId, name: OPENCODE_WRITE_TOOL, arguments: JSON.stringify(args) } },
        usage,
      );
    }
    if ("toolUse" in step) ctx.problem("toolUse steps are for the Anthropic server only");
    return streamCompletion(ctx, model, { text: step.text ?? "" }, usage);
  });
}

/** The tool messages a Chat Completions request sends back. */
export function chatToolResults(body: any): { toolCallId: string; content: string }[] {
  return (Array.isArray(body?.messages) ? body.messages : [])
    .filter((m: any) => m?.role === "tool")
    .map((m: any) => ({
      toolCallId: m.tool_call_id,
      content:
        typeof m.content === "string" ? m.content : (Array.isArray(m.content) ? m.content : []).map((c: any) => c?.text ?? "").join("\n"),
    }));
}
