/**
 * Real `gemini` (@google/gemini-cli, pinned in tools.json) through Maestro's gemini adapter and
 * turn runner, against the scripted Gemini API server (GOOGLE_GEMINI_BASE_URL, API-key auth).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { describeCli, describeTurn, useWorld, xdgEnv, type World } from "./harness";
import { allText, chunks, messageText, type RecordedRequest, type Usage } from "./servers/common";
import { geminiFunctionResponses, startGeminiServer } from "./servers/gemini";

const MODEL = "gemini-2.5-flash";
/** Each scripted reply: 150 prompt tokens of which 50 cached, 20 output. */
const USAGE: Usage = { input: 100, cacheRead: 50, output: 20 };

const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

function writeSettings(w: World) {
  const dir = path.join(w.home, ".gemini");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "settings.json"),
    JSON.stringify(
      { security: { auth: { selectedType: "gemini-api-key" } }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false } },
      null,
      2,
    ),
  );
}

function settings(w: World, binary: string) {
  return {
    binaryPath: binary,
    model: MODEL,
    env: {
      ...xdgEnv(w.home),
      GEMINI_CLI_HOME: w.home,
      GOOGLE_GEMINI_BASE_URL: w.server.url,
      GEMINI_API_KEY: "conformance-key",
      GOOGLE_API_KEY: "",
      GOOGLE_GENAI_USE_VERTEXAI: "",
      GOOGLE_GENAI_USE_GCA: "",
      GEMINI_CLI_TRUST_WORKSPACE: "true",
    },
  };
}

/** Streamed text as the UI stores it: the first piece, then the rest as deltas of it. */
function streamed(text: string) {
  return chunks(text).map((piece, i) => ({ type: "text", text: piece, ...(i ? { delta: true } : {}) }));
}

const mainOf = (requests: RecordedRequest[]) => requests.filter((q) => q.kind === "main");

function textTurnEvents(prompt: string, sessionId: unknown, text: string) {
  return [
    { type: "prompt", prompt, images: 0 },
    { type: "session", sessionId, model: MODEL },
    ...streamed(text),
    // gemini reports no cost, and Maestro prices none for it
    { type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 50 },
    { type: "done", ok: true, result: text, durationMs: expect.any(Number) },
    { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 100, outputTokens: 20, costUsd: 0 },
  ];
}

describeCli("gemini", (binary) => {
  const w = useWorld("gemini", startGeminiServer, writeSettings);
  let first: { tabId: string; sessionId: string; prompt: string; reply: string } | undefined;

  test("a text turn", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const prompt = "Say hello to the conformance suite";
    const reply = "Hello from the scripted model.";
    w.server.script({ text: reply, usage: USAGE });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const sessionId = (r.events.find((e) => e.type === "session")?.sessionId ?? "") as string;
    expect(sessionId).toEqual(UUID);
    expect(r.events).toEqual(textTurnEvents(prompt, sessionId, reply));
    expect(r.turn).toMatchObject({ inputTokens: 100, outputTokens: 20, costUsd: 0, errorKind: null, errorMessage: null });
    expect((await w.services.tabs.byId(tabId)).providerSessionId).toBe(sessionId);
    const main = mainOf(r.requests);
    expect(main).toHaveLength(1);
    expect(main[0]!.url).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    expect(messageText((main[0]!.body as any).contents)).toContain(prompt);
    // It works in the agent's folder: the CLI told the model so.
    expect(allText((main[0]!.body as any).contents)).toContain(w.project);
    expect(w.server.problems).toEqual([]);
    first = { tabId, sessionId, prompt, reply };
  });

  test("a turn where the model writes a file with write_file, then answers", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const file = path.join(w.project, "hello-gemini.txt");
    const content = "written by gemini\nthrough write_file\n";
    const prompt = "Create hello-gemini.txt";
    const reply = "I wrote hello-gemini.txt.";
    w.server.script({ writeFile: { path: file, content }, usage: USAGE }, { text: reply, usage: USAGE });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.readFileSync(file, "utf8")).toBe(content);

    const main = mainOf(r.requests);
    expect(main).toHaveLength(2);
    const call = main[0]!.toolCall!;
    expect(call.name).toBe("write_file");
    expect(geminiFunctionResponses(main[1]!.body)).toEqual([
      {
        id: call.callId,
        name: "write_file",
        response: { output: expect.stringContaining(`Successfully created and wrote to new file: ${file}`) },
      },
    ]);

    const sessionId = r.events.find((e) => e.type === "session")?.sessionId;
    expect(sessionId).toEqual(UUID);
    // gemini names a tool call `<tool>__<the model's call id>`
    const toolId = `write_file__${call.callId}`;
    expect(r.events).toEqual([
      { type: "prompt", prompt, images: 0 },
      { type: "session", sessionId, model: MODEL },
      { type: "tool_call", id: toolId, name: "write_file", input: { file_path: file, content }, status: "running" },
      // gemini's stream-json tool_result carries no output for write_file, only the status
      { type: "tool_result", id: toolId, output: "", isError: false },
      ...streamed(reply),
      { type: "usage", inputTokens: 200, outputTokens: 40, cacheReadTokens: 100 },
      { type: "done", ok: true, result: reply, durationMs: expect.any(Number) },
      { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 200, outputTokens: 40, costUsd: 0 },
    ]);
    expect(r.turn).toMatchObject({ inputTokens: 200, outputTokens: 40, costUsd: 0 });
    expect(w.server.problems).toEqual([]);
  });

  test("a second prompt in the same tab resumes the session", async () => {
    expect(first, "the text turn must have passed first").toBeDefined();
    const prompt = "And now a follow-up";
    const reply = "Follow-up answer.";
    w.server.script({ text: reply, usage: USAGE });
    const r = await w.runTurn(first!.tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(r.events).toEqual(textTurnEvents(prompt, first!.sessionId, reply));
    expect((await w.services.tabs.byId(first!.tabId)).providerSessionId).toBe(first!.sessionId);
    // The model saw the earlier conversation.
    const main = mainOf(r.requests);
    expect(main).toHaveLength(1);
    const contents = (main[0]!.body as any).contents as { role: string; parts: unknown }[];
    const said = contents.map((c) => `${c.role}: ${messageText(c.parts)}`).join("\n");
    expect(said).toContain(first!.prompt);
    expect(said).toContain(`model: ${first!.reply}`);
    expect(said.indexOf(first!.prompt)).toBeLessThan(said.lastIndexOf(prompt));
    expect(w.server.problems).toEqual([]);
  });
});
