// Whatever a CLI prints, a parser never throws: non-objects become one `raw` event, strange
// shapes of known events are skipped, unknown events and keys are ignored.
import { describe, expect, test } from "vitest";
import { RAW_LINE_LIMIT, type AgentEvent } from "./events";
import { parsers } from "./registry";
import { DIALECT_IDS, type DialectId } from "./types";

const TEN_MB = `{"type":"assistant","junk":"${"x".repeat(10 * 1024 * 1024)}`;
const NESTED = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
const NESTED_OBJ = `{"type":"result","x":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString(
  "latin1",
);

const notObjects: [string, string][] = [
  ["malformed JSON", '{"type": "assistant", '],
  ["an array", "[]"],
  ["null", "null"],
  ["a string", '"str"'],
  ["a number", "42"],
  ["true", "true"],
  ["binary bytes", BINARY],
  ["invalid UTF-8 read as text", Buffer.from([0xc3, 0x28, 0xa0, 0xa1]).toString("utf8")],
  ["a truncated last line", '{"type":"result","subtype":"success","is_er'],
  ["deeply nested arrays", NESTED],
  ["a lone surrogate", '"\ud800"x'],
];

/** Lines that are JSON objects but garbage for every dialect: known types with wrong field types. */
const strangeShapes: string[] = [
  "{}",
  '{"type":null}',
  '{"type":42}',
  '{"type":{"nested":true}}',
  '{"type":"maestro_unknown","sessionID":5}',
  '{"type":"system","subtype":"init","session_id":7,"slash_commands":"compact"}',
  '{"type":"assistant"}',
  '{"type":"assistant","message":"text"}',
  '{"type":"assistant","message":{"content":"not an array","usage":"lots"}}',
  '{"type":"assistant","message":{"id":"m","content":[null,1,"x",{"type":"tool_use"},{"type":"text","text":5}],"usage":{"input_tokens":"9","output_tokens":-4}}}',
  '{"type":"user","message":{"content":[{"type":"tool_result","content":{"weird":1}}]}}',
  '{"type":"result","subtype":"constructor","is_error":true,"usage":[],"modelUsage":{"m":null},"permission_denials":"all"}',
  '{"type":"rate_limit_event","rate_limit_info":{"resetsAt":"soon"}}',
  '{"type":"thread.started","thread_id":["a"]}',
  '{"type":"item.completed"}',
  '{"type":"item.completed","item":{"type":"command_execution","exit_code":"x","status":7}}',
  '{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","result":{"content":"x"},"error":"e"}}',
  '{"type":"item.completed","item":{"id":"i","type":"file_change","changes":{"path":"a"}}}',
  '{"type":"turn.completed","usage":null}',
  '{"type":"turn.failed"}',
  '{"type":"error"}',
  '{"type":"error","error":{"data":{"statusCode":"429","responseHeaders":{"retry-after":"soon"}}}}',
  '{"type":"tool_use","part":{"state":"done"}}',
  '{"type":"step_finish","part":{"tokens":{"cache":"none"},"cost":"free"}}',
  '{"type":"text","part":{"text":["a"]}}',
  '{"type":"init","session_id":{}}',
  '{"type":"message","role":"assistant","content":{"text":"x"},"delta":"yes"}',
  '{"type":"tool_result","tool_id":"t","status":"error","error":"no"}',
  '{"type":"result","status":"error","error":{"type":"toString"},"stats":{"input_tokens":"NaN"}}',
  '{"type":"done","rejected":"all"}',
  '{"__proto__":{"polluted":true},"type":"result"}',
];

function check(events: AgentEvent[]) {
  expect(Array.isArray(events)).toBe(true);
  for (const e of events) {
    expect(typeof e.type).toBe("string");
    if (e.type === "usage") {
      for (const n of [e.inputTokens, e.outputTokens, e.cacheReadTokens ?? 0, e.cacheWriteTokens ?? 0])
        expect(Number.isFinite(n) && n >= 0).toBe(true);
    }
    if (e.type === "error") expect(typeof e.message).toBe("string");
    if (e.type === "text" || e.type === "thinking") expect(typeof e.text).toBe("string");
  }
  // every event survives being stored as JSON
  expect(() => JSON.stringify(events)).not.toThrow();
}

describe.each(DIALECT_IDS as readonly DialectId[])("%s parser on hostile input", (dialect) => {
  test.each(notObjects)("%s → exactly one raw event", (_name, line) => {
    const p = parsers[dialect]();
    const out = p.parse(line);
    expect(out).toHaveLength(1);
    expect(out[0]!.type).toBe("raw");
    const raw = (out[0] as { line: string }).line;
    expect(raw.length).toBeLessThanOrEqual(RAW_LINE_LIMIT + 40);
  });

  test("a 10 MB line: one raw event, truncated, with the size", () => {
    const out = parsers[dialect]().parse(TEN_MB);
    expect(out).toEqual([{ type: "raw", line: `${TEN_MB.slice(0, RAW_LINE_LIMIT)}… (${TEN_MB.length} bytes)` }]);
  });

  test("blank lines and CRLF endings yield nothing extra", () => {
    const p = parsers[dialect]();
    expect(p.parse("")).toEqual([]);
    expect(p.parse("   \t")).toEqual([]);
    expect(p.parse("\r")).toEqual([]);
    expect(p.parse('{"type":"maestro_unknown"}\r')).toEqual([]);
  });

  test("known event types with strange shapes and unknown types never throw", () => {
    const p = parsers[dialect]();
    for (const l of strangeShapes) {
      let out: AgentEvent[] = [];
      expect(() => (out = p.parse(l))).not.toThrow();
      check(out);
    }
    expect(() => p.parse(NESTED_OBJ)).not.toThrow();
    expect(() => p.end?.()).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("non-string input from a careless caller", () => {
    const p = parsers[dialect]();
    for (const v of [undefined, null, 42, {}, Buffer.from("{}")]) expect(() => p.parse(v as string)).not.toThrow();
  });

  test("end() with nothing to flush is empty", () => {
    const p = parsers[dialect]();
    expect(p.end?.() ?? []).toEqual([]);
  });
});
