/**
 * A scripted Anthropic Messages API server for the real `claude` CLI
 * (ANTHROPIC_BASE_URL=http://127.0.0.1:PORT).
 *
 * POST /v1/messages with `stream: true` answers as SSE in the API's order: message_start (usage
 * with input tokens) → content_block_start / content_block_delta… / content_block_stop per block
 * → message_delta (stop_reason, output usage) → message_stop. A file-writing step answers with a
 * `tool_use` block for the request's `Write` tool ({file_path, content}), streamed as
 * input_json_delta; stop_reason "tool_use". A `toolUse` step calls any tool the request lists (Bash,
 * AskUserQuestion…) the same way. The next request carries the tool_result.
 * Requests without tools (claude's side queries) get a short text and do not take a step.
 * POST /v1/messages/count_tokens answers a count; anything else is a 404 in the API's shape.
 */
import { chunks, DEFAULT_USAGE, json, sse, startScriptedServer, type HandlerContext, type ScriptedServer, type Usage } from "./common";

export const ANTHROPIC_WRITE_TOOL = "Write";

/** Usage a side request (no tools) reports. */
export const ANTHROPIC_SIDE_USAGE: Usage = { input: 10, output: 2 };

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

function streamMessage(ctx: HandlerContext, model: string, blocks: Block[], stopReason: string, usage: Usage) {
  const s = sse(ctx.res);
  const id = ctx.id("msg_conf");
  s.send(
    {
      type: "message_start",
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
          output_tokens: 1,
        },
      },
    },
    "message_start",
  );
  blocks.forEach((b, index) => {
    if (b.type === "text") {
      s.send({ type: "content_block_start", index, content_block: { type: "text", text: "" } }, "content_block_start");
      for (const piece of chunks(b.text))
        s.send({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } }, "content_block_delta");
    } else {
      s.send(
        { type: "content_block_start", index, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } },
        "content_block_start",
      );
      for (const piece of chunks(JSON.stringify(b.input)))
        s.send({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } }, "content_block_delta");
    }
    s.send({ type: "content_block_stop", index }, "content_block_stop");
  });
  s.send(
    { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output } },
    "message_delta",
  );
  s.send({ type: "message_stop" }, "message_stop");
  s.end();
}

function plainMessage(ctx: HandlerContext, model: string, text: string, usage: Usage) {
  json(ctx.res, 200, {
    id: ctx.id("msg_conf"),
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  });
}

export function startAnthropicServer(): Promise<ScriptedServer> {
  return startScriptedServer("anthropic", (ctx) => {
    const path = ctx.url.pathname;
    if (ctx.req.method === "POST" && path === "/v1/messages/count_tokens") {
      ctx.record.kind = "count_tokens";
      return json(ctx.res, 200, { input_tokens: 1000 });
    }
    if (ctx.req.method !== "POST" || path !== "/v1/messages") {
      ctx.record.kind = "other";
      return json(ctx.res, 404, { type: "error", error: { type: "not_found_error", message: `Not found: ${ctx.req.method} ${path}` } });
    }
    const body = ctx.body ?? {};
    const model = typeof body.model === "string" ? body.model : "claude-sonnet-4-5";
    const tools: { name?: string }[] = Array.isArray(body.tools) ? body.tools : [];
    if (tools.length === 0) {
      // A side query (quota probe, title, summary…): answer briefly, keep the script.
      ctx.record.kind = "side";
      const text = "Conformance";
      return body.stream
        ? streamMessage(ctx, model, [{ type: "text", text }], "end_turn", ANTHROPIC_SIDE_USAGE)
        : plainMessage(ctx, model, text, ANTHROPIC_SIDE_USAGE);
    }
    const step = ctx.nextStep();
    if (!step) return streamMessage(ctx, model, [{ type: "text", text: "SCRIPT EXHAUSTED" }], "end_turn", DEFAULT_USAGE);
    const usage = step.usage ?? DEFAULT_USAGE;
    if ("writeFile" in step) {
      if (!tools.some((t) => t.name === ANTHROPIC_WRITE_TOOL)) {
        ctx.problem(`no ${ANTHROPIC_WRITE_TOOL} tool among ${tools.map((t) => t.name).join(", ")}`);
        return streamMessage(ctx, model, [{ type: "text", text: "NO WRITE TOOL" }], "end_turn", usage);
      }
      const callId = ctx.id("toolu_conf");
      const input = { file_path: step.writeFile.path, content: step.writeFile.content };
      ctx.record.toolCall = { name: ANTHROPIC_WRITE_TOOL, callId, arguments: input };
      const blocks: Block[] = [
        ...(step.text ? [{ type: "text" as const, text: step.text }] : []),
        { type: "tool_use", id: callId, name: ANTHROPIC_WRITE_TOOL, input },
      ];
      return streamMessage(ctx, model, blocks, "tool_use", usage);
    }
    if ("toolUse" in step) {
      const { name, input } = step.toolUse;
      if (!tools.some((t) => t.name === name)) {
        ctx.problem(`no ${name} tool among ${tools.map((t) => t.name).join(", ")}`);
        return streamMessage(ctx, model, [{ type: "text", text: `NO ${name} TOOL` }], "end_turn", usage);
      }
      const callId = ctx.id("toolu_conf");
      ctx.record.toolCall = { name, callId, arguments: input };
      const blocks: Block[] = [
        ...(step.text ? [{ type: "text" as const, text: step.text }] : []),
        { type: "tool_use", id: callId, name, input },
      ];
      return streamMessage(ctx, model, blocks, "tool_use", usage);
    }
    return streamMessage(ctx, model, [{ type: "text", text: step.text }], "end_turn", usage);
  });
}

/** The tool_result blocks of a Messages request, by tool_use_id. */
export function anthropicToolResults(body: any): { toolUseId: string; content: string; isError: boolean }[] {
  const out: { toolUseId: string; content: string; isError: boolean }[] = [];
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    for (const b of Array.isArray(m?.content) ? m.content : []) {
      if (b?.type !== "tool_result") continue;
      const content =
        typeof b.content === "string" ? b.content : (Array.isArray(b.content) ? b.content : []).map((c: any) => c?.text ?? "").join("\n");
      out.push({ toolUseId: b.tool_use_id, content, isError: b.is_error === true });
    }
  }
  return out;
}
