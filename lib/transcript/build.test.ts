import { describe, expect, it } from "vitest";
import { applyEvents, buildTranscript, emptyTranscript, runningTurn, type TranscriptEvent, type ToolItem } from "./build";
import { transcriptRows } from "./rows";

let nextId = 1;
function ev(turnId: string, type: string, data: Record<string, unknown> = {}, id = nextId++): TranscriptEvent {
  return { id, turnId, type, data, at: new Date(1_700_000_000_000 + id * 1000).toISOString() };
}
const reset = () => (nextId = 1);

describe("buildTranscript", () => {
  it("groups events into turns with the prompt, items and the end figures", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "Write hello.txt", images: 0 }),
      ev("t1", "session", { sessionId: "s1", model: "sim-1" }),
      ev("t1", "thinking", { text: "I will write it.", messageId: "m1" }),
      ev("t1", "text", { text: "I'll write hello.txt.", messageId: "m1" }),
      ev("t1", "tool_call", { id: "c1", name: "Write", input: { file_path: "hello.txt" }, status: "running" }),
      ev("t1", "usage", { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }),
      ev("t1", "tool_result", { id: "c1", output: "File created", isError: false }),
      ev("t1", "text", { text: "Done.", messageId: "m2" }),
      ev("t1", "done", { ok: true }),
      ev("t1", "turn_end", { status: "done", durationMs: 1234, inputTokens: 100, outputTokens: 50, costUsd: 0.0123, filesChanged: 2 }),
    ]);
    expect(t.turns).toHaveLength(1);
    const turn = t.turns[0]!;
    expect(turn.prompt).toBe("Write hello.txt");
    expect(turn.model).toBe("sim-1");
    expect(turn.status).toBe("done");
    expect(turn.durationMs).toBe(1234);
    expect(turn.filesChanged).toBe(2);
    expect(turn.items.map((i) => i.kind)).toEqual(["thinking", "text", "tool", "text"]);
    const tool = turn.items[2] as ToolItem;
    expect(tool).toMatchObject({ name: "Write", status: "completed", output: "File created", isError: false });
    // turn_end's figures are authoritative over the live usage sum
    expect(turn.usage).toEqual({ inputTokens: 100, outputTokens: 50, costUsd: 0.0123 });
    expect(t.totals).toEqual({ inputTokens: 100, outputTokens: 50, costUsd: 0.0123 });
    expect(t.lastId).toBe(10);
    expect(runningTurn(t)).toBeNull();
  });

  it("sums usage live while the turn runs", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "hi" }),
      ev("t1", "usage", { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }),
      ev("t1", "usage", { inputTokens: 3, outputTokens: 2 }),
    ]);
    expect(t.turns[0]!.usage).toEqual({ inputTokens: 13, outputTokens: 7, costUsd: 0.001 });
    expect(t.turns[0]!.filesChanged).toBeNull();
    expect(runningTurn(t)?.id).toBe("t1");
  });

  it("merges text deltas and same-message chunks into one item", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "text", { text: "Hel" }),
      ev("t1", "text", { text: "lo", delta: true }),
      ev("t1", "text", { text: " world", delta: true }),
      // claude-style: the same message's text split over lines, word boundaries kept
      ev("t1", "text", { text: "Ticked task ", messageId: "m9" }),
      ev("t1", "text", { text: "'a' in TODO.md.", messageId: "m9" }),
      // a separate block of the same message with no whitespace between: a new paragraph
      ev("t1", "text", { text: "Second block.", messageId: "m9" }),
    ]);
    const texts = t.turns[0]!.items.map((i) => (i.kind === "text" ? i.text : ""));
    expect(texts).toEqual(["Hello world", "Ticked task 'a' in TODO.md.\n\nSecond block."]);
  });

  it("continues a delta across a tool row into the previous text of the same message", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "text", { text: "Looking", messageId: "a" }),
      ev("t1", "tool_call", { id: "c1", name: "Read", input: {} }),
      ev("t1", "text", { text: " closer", messageId: "a", delta: true }),
      ev("t1", "text", { text: "New message", messageId: "b" }),
    ]);
    const items = t.turns[0]!.items;
    expect(items.map((i) => i.kind)).toEqual(["text", "tool", "text"]);
    expect(items[0]).toMatchObject({ text: "Looking closer" });
    expect(items[2]).toMatchObject({ text: "New message" });
  });

  it("pairs tool results with calls by id, updates repeated calls in place, marks failures", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "tool_call", { id: "a", name: "command_execution", input: { command: "ls" }, status: "running" }),
      ev("t1", "tool_call", { id: "b", name: "Bash", input: { command: "false" } }),
      ev("t1", "tool_call", { id: "a", name: "command_execution", input: { command: "ls" }, status: "completed" }),
      ev("t1", "tool_result", { id: "b", output: "exit 1", isError: true }),
      ev("t1", "tool_result", { id: "a", output: "a.txt", isError: false }),
      ev("t1", "tool_result", { id: "zzz", output: "orphan", isError: false }),
    ]);
    const tools = t.turns[0]!.items as ToolItem[];
    expect(tools.map((x) => [x.id, x.status, x.output])).toEqual([
      ["a", "completed", "a.txt"],
      ["b", "failed", "exit 1"],
      ["zzz", "completed", "orphan"],
    ]);
    expect(tools[1]!.isError).toBe(true);
  });

  it("marks tools without a result as interrupted when the turn ends", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "tool_call", { id: "a", name: "Bash", input: { command: "sleep 99" } }),
      ev("t1", "turn_end", { status: "stopped", durationMs: 10, inputTokens: 0, outputTokens: 0, costUsd: 0, error: "Stopped." }),
    ]);
    expect(t.turns[0]!.items[0]).toMatchObject({ status: "interrupted" });
    expect(t.turns[0]!.status).toBe("stopped");
    expect(t.turns[0]!.error).toBe("Stopped.");
  });

  it("keeps errors (fatal or not, with reset time) and groups raw lines", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "raw", { line: "garbage 1" }),
      ev("t1", "raw", { line: "garbage 2" }),
      ev("t1", "error", { message: "Rate limited", kind: "rate_limit", fatal: true, resetsAt: "2030-01-01T00:00:00.000Z" }),
      ev("t1", "raw", { line: "garbage 3" }),
      ev("t1", "error", { message: "odd line", kind: "malformed", fatal: false }),
      ev("t1", "turn_end", { status: "error", durationMs: 5, inputTokens: 0, outputTokens: 0, costUsd: 0, error: "Rate limited" }),
    ]);
    const items = t.turns[0]!.items;
    expect(items.map((i) => i.kind)).toEqual(["raw", "error", "raw", "error"]);
    expect(items[0]).toMatchObject({ lines: ["garbage 1", "garbage 2"] });
    expect(items[1]).toMatchObject({ message: "Rate limited", errorKind: "rate_limit", fatal: true, resetsAt: "2030-01-01T00:00:00.000Z" });
    expect(items[3]).toMatchObject({ fatal: false });
    expect(t.turns[0]!.status).toBe("error");
  });

  it("sums totals over turns", () => {
    reset();
    const end = (cost: number) => ({ status: "done", durationMs: 1, inputTokens: 10, outputTokens: 1, costUsd: cost });
    const t = buildTranscript([
      ev("t1", "prompt", { prompt: "a" }),
      ev("t1", "turn_end", end(0.01)),
      ev("t2", "prompt", { prompt: "b" }),
      ev("t2", "turn_end", end(0.02)),
    ]);
    expect(t.turns.map((x) => x.prompt)).toEqual(["a", "b"]);
    expect(t.totals.inputTokens).toBe(20);
    expect(t.totals.costUsd).toBeCloseTo(0.03);
  });

  it("tolerates odd payloads without throwing", () => {
    reset();
    const t = buildTranscript([
      ev("t1", "prompt", {}),
      ev("t1", "text", { text: 42 }),
      ev("t1", "tool_call", {}),
      ev("t1", "tool_result", { output: "no id" }),
      ev("t1", "usage", { inputTokens: "many", outputTokens: NaN }),
      ev("t1", "turn_end", { status: "weird" }),
      ev("t1", "something_new", { x: 1 }),
      { id: 99, turnId: "t1", type: "text", data: null as unknown as Record<string, unknown>, at: "" },
    ]);
    const turn = t.turns[0]!;
    expect(turn.prompt).toBe("");
    expect(turn.items).toHaveLength(1); // the anonymous tool call
    expect(turn.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(turn.status).toBe("error");
    expect(t.lastId).toBe(99);
  });
});

describe("applyEvents", () => {
  it("applies each id at most once: a replayed backlog after a reconnect changes nothing", () => {
    reset();
    const events = [ev("t1", "prompt", { prompt: "x" }), ev("t1", "text", { text: "A" }), ev("t1", "text", { text: "B", delta: true })];
    const a = buildTranscript(events);
    const b = applyEvents(a, events);
    expect(b).toBe(a);
    // Overlapping batch: only the new id applies.
    const more = [events[2]!, ev("t1", "text", { text: "C", delta: true })];
    const c = applyEvents(a, more);
    expect(c.turns[0]!.items[0]).toMatchObject({ text: "ABC" });
    expect(c.eventCount).toBe(4);
  });

  it("ignores out-of-order ids lower than the last applied", () => {
    reset();
    const a = buildTranscript([ev("t1", "prompt", { prompt: "x" }, 5), ev("t1", "text", { text: "late" }, 3)]);
    expect(a.turns[0]!.items).toHaveLength(0);
    expect(a.lastId).toBe(5);
  });

  it("never mutates the previous transcript and shares untouched turns", () => {
    reset();
    const a = buildTranscript([
      ev("t1", "prompt", { prompt: "one" }),
      ev("t1", "text", { text: "first" }),
      ev("t1", "turn_end", { status: "done", durationMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 }),
      ev("t2", "prompt", { prompt: "two" }),
      ev("t2", "text", { text: "x" }),
    ]);
    const snapshot = JSON.stringify(a.turns);
    const b = applyEvents(a, [ev("t2", "text", { text: "y", delta: true }), ev("t2", "tool_call", { id: "c", name: "Bash", input: {} })]);
    expect(JSON.stringify(a.turns)).toBe(snapshot);
    expect(b.turns[0]).toBe(a.turns[0]);
    expect(b.turns[1]).not.toBe(a.turns[1]);
    expect(b.turns[1]!.items[0]).toMatchObject({ text: "xy" });
    expect(a.turns[1]!.items[0]).toMatchObject({ text: "x" });
  });

  it("gives the same result whether events come one by one or in one batch", () => {
    reset();
    const events = [
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "text", { text: "a", messageId: "m" }),
      ev("t1", "text", { text: " b", messageId: "m" }),
      ev("t1", "tool_call", { id: "c", name: "Bash", input: { command: "ls" } }),
      ev("t1", "tool_result", { id: "c", output: "ok", isError: false }),
      ev("t1", "raw", { line: "r1" }),
      ev("t1", "raw", { line: "r2" }),
      ev("t1", "turn_end", { status: "done", durationMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 }),
    ];
    const batch = buildTranscript(events);
    let step = emptyTranscript();
    for (const e of events) step = applyEvents(step, [e]);
    expect(JSON.stringify(step.turns)).toBe(JSON.stringify(batch.turns));
  });

  it("builds a 10,000-event transcript quickly, streamed in batches", () => {
    reset();
    const events: TranscriptEvent[] = [];
    for (let turn = 0; turn < 200; turn++) {
      const id = `t${turn}`;
      events.push(ev(id, "prompt", { prompt: `prompt ${turn}` }));
      for (let k = 0; k < 12; k++) {
        events.push(ev(id, "tool_call", { id: `${id}-c${k}`, name: "Bash", input: { command: `echo ${k}` } }));
        events.push(ev(id, "tool_result", { id: `${id}-c${k}`, output: `${k}`, isError: false }));
      }
      for (let k = 0; k < 24; k++) events.push(ev(id, "text", { text: `word${k} `, delta: k > 0 }));
      events.push(ev(id, "turn_end", { status: "done", durationMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0.0001 }));
    }
    expect(events.length).toBe(10_000);
    const started = performance.now();
    let t = emptyTranscript();
    for (let i = 0; i < events.length; i += 250) t = applyEvents(t, events.slice(i, i + 250));
    const rows = transcriptRows(t);
    const ms = performance.now() - started;
    expect(t.turns).toHaveLength(200);
    expect(rows).toHaveLength(200 * (1 + 12 + 1 + 1));
    expect(t.totals.costUsd).toBeCloseTo(0.02);
    expect(ms).toBeLessThan(500);
  });
});

describe("transcriptRows", () => {
  it("lists prompt, items and footer per turn with stable keys, reusing rows of unchanged turns", () => {
    reset();
    const a = buildTranscript([
      ev("t1", "prompt", { prompt: "x" }),
      ev("t1", "text", { text: "hi" }),
      ev("t1", "turn_end", { status: "done", durationMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 }),
      ev("t2", "prompt", { prompt: "y" }),
    ]);
    const rowsA = transcriptRows(a);
    expect(rowsA.map((r) => r.kind)).toEqual(["prompt", "item", "footer", "prompt", "footer"]);
    expect(rowsA.map((r) => r.key)).toEqual(["1:p", "1:2", "1:f", "4:p", "4:f"]);
    const b = applyEvents(a, [ev("t2", "text", { text: "z" })]);
    const rowsB = transcriptRows(b);
    expect(rowsB[0]).toBe(rowsA[0]);
    expect(rowsB.map((r) => r.key)).toEqual(["1:p", "1:2", "1:f", "4:p", "4:5", "4:f"]);
  });
});
