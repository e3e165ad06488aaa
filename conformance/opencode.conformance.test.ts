/**
 * Real `opencode` (opencode-ai, pinned in tools.json) through Maestro's opencode adapter and turn
 * runner, against the scripted Chat Completions server (an @ai-sdk/openai-compatible provider in
 * the config file named by OPENCODE_CONFIG).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { describeCli, describeTurn, useWorld, xdgEnv, type World } from "./harness";
import { chatToolResults, startChatCompletionsServer } from "./servers/chat-completions";
import { messageText, type RecordedRequest } from "./servers/common";

const PROVIDER = "conformance";
const MODEL = `${PROVIDER}/conformance-model`;
// The provider's model is priced at $3 / $15 per million input / output tokens in the config;
// every scripted reply reports 100 input and 20 output tokens: 0.0006 USD, as opencode prints it.
const ONE_REPLY_USD = 0.0006;
const TWO_REPLIES_USD = 0.0012;

const SESSION = expect.stringMatching(/^ses_/);
const MESSAGE = expect.stringMatching(/^msg_/);

function configPath(w: World) {
  return path.join(w.home, "opencode-conformance.json");
}

function writeConfig(w: World) {
  const config = {
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    model: MODEL,
    provider: {
      [PROVIDER]: {
        npm: "@ai-sdk/openai-compatible",
        name: "Conformance",
        options: { baseURL: `${w.server.url}/v1`, apiKey: "sk-conformance" },
        models: {
          "conformance-model": {
            name: "Conformance model",
            tool_call: true,
            cost: { input: 3, output: 15 },
            limit: { context: 100_000, output: 8_000 },
          },
        },
      },
    },
  };
  fs.writeFileSync(configPath(w), JSON.stringify(config, null, 2));
}

function settings(w: World, binary: string) {
  return {
    binaryPath: binary,
    model: MODEL,
    env: {
      ...xdgEnv(w.home),
      OPENCODE_CONFIG: configPath(w),
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_PROJECT_CONFIG: "1",
    },
  };
}

const mainOf = (requests: RecordedRequest[]) => requests.filter((q) => q.kind === "main");
const systemPrompt = (q: RecordedRequest) =>
  messageText(((q.body as any).messages as { role: string; content: unknown }[]).filter((m) => m.role === "system"));

function textTurnEvents(prompt: string, sessionId: unknown, text: string) {
  return [
    { type: "prompt", prompt, images: 0 },
    { type: "session", sessionId },
    { type: "text", text, messageId: MESSAGE },
    { type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: ONE_REPLY_USD },
    { type: "done", ok: true, result: text, totalCostUsd: ONE_REPLY_USD },
    { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 100, outputTokens: 20, costUsd: ONE_REPLY_USD },
  ];
}

describeCli("opencode", (binary) => {
  const w = useWorld("opencode", startChatCompletionsServer, writeConfig);
  let first: { tabId: string; sessionId: string; prompt: string; reply: string } | undefined;

  test("a text turn", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const prompt = "Say hello to the conformance suite";
    const reply = "Hello from the scripted model.";
    w.server.script({ text: reply });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    const sessionId = (r.events.find((e) => e.type === "session")?.sessionId ?? "") as string;
    expect(sessionId).toEqual(SESSION);
    expect(r.events).toEqual(textTurnEvents(prompt, sessionId, reply));
    expect(r.turn).toMatchObject({ inputTokens: 100, outputTokens: 20, errorKind: null, errorMessage: null });
    expect(r.turn.costUsd).toBeCloseTo(ONE_REPLY_USD, 12);
    expect((await w.services.tabs.byId(tabId)).providerSessionId).toBe(sessionId);
    // A new session also asks for a title (a request without tools), answered off-script. opencode
    // sends it beside the turn, not before it: on a loaded machine the turn can end and opencode
    // exit first (seen in CI), so it is not required, only checked when it came.
    const titleRequests = r.requests.filter((q) => q.kind === "side");
    for (const title of titleRequests) expect(messageText((title.body as any).messages)).toContain(prompt);
    const main = mainOf(r.requests);
    expect(main).toHaveLength(1);
    expect((main[0]!.body as any).model).toBe("conformance-model");
    // The prompt arrives verbatim (on stdin: an argv word with spaces would come quoted).
    const user = ((main[0]!.body as any).messages as { role: string; content: unknown }[]).filter((m) => m.role === "user");
    expect(messageText(user.at(-1)!.content)).toBe(prompt);
    expect(w.server.problems).toEqual([]);
    first = { tabId, sessionId, prompt, reply };
  });

  test("opencode works in the agent's folder", () => {
    // opencode 1.18.33 takes its working directory from $PWD when set, not from the process's
    // cwd; a child of the bridge inherits the bridge's PWD, so the agent's folder must be passed
    // as PWD (or --dir) or opencode works, and asks permissions, for the bridge's folder.
    expect(first, "the text turn must have passed first").toBeDefined();
    const main = w.server.requests.find((q) => q.kind === "main")!;
    const workingDir = /Working directory: (.*)/.exec(systemPrompt(main))?.[1];
    expect(workingDir, "the working directory opencode told the model").toBe(w.project);
  });

  test("a turn where the model writes a file with its write tool, then answers", async () => {
    const { tabId } = await w.newTab(settings(w, binary));
    const file = path.join(w.project, "hello-opencode.txt");
    const content = "written by opencode\nthrough the write tool\n";
    const prompt = "Create hello-opencode.txt";
    const reply = "I wrote hello-opencode.txt.";
    w.server.script({ writeFile: { path: file, content } }, { text: reply });
    const r = await w.runTurn(tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(fs.readFileSync(file, "utf8")).toBe(content);

    const main = mainOf(r.requests);
    expect(main).toHaveLength(2);
    const call = main[0]!.toolCall!;
    expect(call.name).toBe("write");
    expect(chatToolResults(main[1]!.body)).toEqual([{ toolCallId: call.callId, content: "Wrote file successfully." }]);

    const sessionId = r.events.find((e) => e.type === "session")?.sessionId;
    expect(sessionId).toEqual(SESSION);
    expect(r.events).toEqual([
      { type: "prompt", prompt, images: 0 },
      { type: "session", sessionId },
      // opencode prints a tool part once, when it has finished
      { type: "tool_call", id: call.callId, name: "write", input: { filePath: file, content }, status: "completed" },
      { type: "tool_result", id: call.callId, output: "Wrote file successfully.", isError: false },
      { type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: ONE_REPLY_USD },
      { type: "text", text: reply, messageId: MESSAGE },
      { type: "usage", inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: ONE_REPLY_USD },
      { type: "done", ok: true, result: reply, totalCostUsd: TWO_REPLIES_USD },
      { type: "turn_end", status: "done", durationMs: expect.any(Number), inputTokens: 200, outputTokens: 40, costUsd: TWO_REPLIES_USD },
    ]);
    expect(r.turn).toMatchObject({ inputTokens: 200, outputTokens: 40 });
    expect(r.turn.costUsd).toBeCloseTo(TWO_REPLIES_USD, 12);
    expect(w.server.problems).toEqual([]);
  });

  test("a second prompt in the same tab resumes the session", async () => {
    expect(first, "the text turn must have passed first").toBeDefined();
    const prompt = "And now a follow-up";
    const reply = "Follow-up answer.";
    w.server.script({ text: reply });
    const r = await w.runTurn(first!.tabId, prompt);
    expect(r.turn.status, describeTurn(r)).toBe("done");
    expect(r.events).toEqual(textTurnEvents(prompt, first!.sessionId, reply));
    expect((await w.services.tabs.byId(first!.tabId)).providerSessionId).toBe(first!.sessionId);
    expect(r.turn.costUsd).toBeCloseTo(ONE_REPLY_USD, 12);
    // An existing session asks for no new title; the model saw the earlier conversation.
    expect(r.requests.filter((q) => q.kind === "side")).toEqual([]);
    const main = mainOf(r.requests);
    expect(main).toHaveLength(1);
    const messages = (main[0]!.body as any).messages as { role: string; content: unknown }[];
    const said = messages
      .filter((m) => m.role !== "system")
      .map((m) => `${m.role}: ${messageText(m.content)}`)
      .join("\n");
    expect(said).toContain(`user: ${first!.prompt}`);
    expect(said).toContain(`assistant: ${first!.reply}`);
    expect(said.indexOf(first!.prompt)).toBeLessThan(said.lastIndexOf(prompt));
    expect(w.server.problems).toEqual([]);
  });
});
