/**
 * A scripted Gemini API server for the real `gemini` CLI (GOOGLE_GEMINI_BASE_URL=
 * http://127.0.0.1:PORT, GEMINI_API_KEY set, auth type gemini-api-key).
 *
 * POST /v1beta/models/{model}:streamGenerateContent?alt=sse answers as SSE
 * `data: {"candidates":[{"content":{"role":"model","parts":[…]},"index":0}],…}` lines: text in
 * a few pieces, the last chunk with finishReason "STOP" and usageMetadata. A file-writing step
 * answers with a `functionCall` part for the request's `write_file` declaration
 * ({file_path, content}); the next request carries a `functionResponse` part.
 * Requests without function declarations, non-streaming generateContent (the CLI's internal
 * checks: next speaker, loop detection, routing) and countTokens are side requests: answered
 * sensibly, without taking a step. Anything else is a 404 in the API's shape.
 */
import { chunks, DEFAULT_USAGE, json, sse, startScriptedServer, type HandlerContext, type ScriptedServer, type Usage } from "./common";

export const GEMINI_WRITE_TOOL = "write_file";
/** Usage a side request reports. */
export const GEMINI_SIDE_USAGE: Usage = { input: 10, output: 2 };

type Part = { text: string } | { functionCall: { id?: string; name: string; args: Record<string, unknown> } };

function usageMetadata(u: Usage) {
  const prompt = u.input + (u.cacheRead ?? 0);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: u.output,
    totalTokenCount: prompt + u.output,
    ...(u.cacheRead ? { cachedContentTokenCount: u.cacheRead } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt }],
  };
}

function streamContent(ctx: HandlerContext, model: string, parts: Part[], usage: Usage) {
  const s = sse(ctx.res);
  const responseId = ctx.id("gemresp");
  const pieces: Part[] = parts.flatMap((p): Part[] => ("text" in p ? chunks(p.text).map((text) => ({ text })) : [p]));
  pieces.forEach((part, i) => {
    const last = i === pieces.length - 1;
    s.send({
      candidates: [{ content: { role: "model", parts: [part] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) }],
      ...(last ? { usageMetadata: usageMetadata(usage) } : {}),
      modelVersion: model,
      responseId,
    });
  });
  s.end();
}

/** A plain generateContent answer; JSON-schema requests (the CLI's internal checks) get JSON. */
function sideContent(ctx: HandlerContext, model: string, body: any) {
  const cfg = body?.generationConfig ?? {};
  const wantsJson = cfg.responseMimeType === "application/json" || cfg.responseJsonSchema || cfg.responseSchema;
  const props = Object.keys(cfg.responseJsonSchema?.properties ?? cfg.responseSchema?.properties ?? {});
  let text = "Conformance";
  if (wantsJson) {
    const answer: Record<string, unknown> = {};
    for (const p of props)
      answer[p] =
        p === "next_speaker" ? "user" : p === "model_choice" ? "flash" : p === "is_loop" ? false : p === "confidence" ? 0 : "conformance";
    text = JSON.stringify(answer);
  }
  const payload = {
    candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: usageMetadata(GEMINI_SIDE_USAGE),
    modelVersion: model,
  };
  if (ctx.url.pathname.includes(":streamGenerateContent")) {
    const s = sse(ctx.res);
    s.send(payload);
    s.end();
  } else json(ctx.res, 200, payload);
}

export function startGeminiServer(): Promise<ScriptedServer> {
  return startScriptedServer("gemini", (ctx) => {
    const p = ctx.url.pathname;
    const m = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(p);
    if (ctx.req.method !== "POST" || !m) {
      ctx.record.kind = "other";
      return json(ctx.res, 404, { error: { code: 404, message: `Not found: ${ctx.req.method} ${p}`, status: "NOT_FOUND" } });
    }
    const [, , model, method] = m as unknown as [string, string, string, string];
    const body = ctx.body ?? {};
    if (method === "countTokens") {
      ctx.record.kind = "count_tokens";
      return json(ctx.res, 200, { totalTokens: 1000 });
    }
    const declarations: { name?: string }[] = (Array.isArray(body.tools) ? body.tools : []).flatMap((t: any) =>
      Array.isArray(t?.functionDeclarations) ? t.functionDeclarations : [],
    );
    if (method === "generateContent" || declarations.length === 0) {
      ctx.record.kind = "side";
      return sideContent(ctx, model, body);
    }
    const step = ctx.nextStep();
    if (!step) return streamContent(ctx, model, [{ text: "SCRIPT EXHAUSTED" }], DEFAULT_USAGE);
    const usage = step.usage ?? DEFAULT_USAGE;
    if ("writeFile" in step) {
      if (!declarations.some((d) => d.name === GEMINI_WRITE_TOOL)) {
        ctx.problem(`no ${GEMINI_WRITE_TOOL} tool among ${declarations.map((d) => d.name).join(", ")}`);
        return streamContent(ctx, model, [{ text: "NO WRITE TOOL" }], usage);
      }
      const args = { file_path: step.writeFile.path, content: step.writeFile.content };
      const callId = ctx.id("gemcall");
      ctx.record.toolCall = { name: GEMINI_WRITE_TOOL, callId, arguments: args };
      return streamContent(
        ctx,
        model,
        [...(step.text ? [{ text: step.text }] : []), { functionCall: { id: callId, name: GEMINI_WRITE_TOOL, args } }],
        usage,
      );
    }
    if ("toolUse" in step) ctx.problem("toolUse steps are for the Anthropic server only");
    return streamContent(ctx, model, [{ text: step.text ?? "" }], usage);
  });
}

/** The functionResponse parts a generateContent request sends back. */
export function geminiFunctionResponses(body: any): { id?: string; name: string; response: unknown }[] {
  const out: { id?: string; name: string; response: unknown }[] = [];
  for (const c of Array.isArray(body?.contents) ? body.contents : [])
    for (const part of Array.isArray(c?.parts) ? c.parts : [])
      if (part?.functionResponse)
        out.push({ id: part.functionResponse.id, name: part.functionResponse.name, response: part.functionResponse.response });
  return out;
}
