import { describe, expect, test } from "vitest";
import { dryRunJsonl, replayWindow, startErrorCode, toDesktopJsonl, type RunEvent } from "./run-events";

/**
 * Each of our run events against the exact line desktop `maestro-cli` writes for that moment
 * (RunMaestro/Maestro@4ec03d1b, `src/cli/output/jsonl.ts` L6-91 and `batch-processor.ts`; see
 * /work/notes-13.md §3): `type` then `timestamp` first, desktop's fields in desktop's order, our
 * extra keys after them. The expected lines are written out by hand, as a reader would see them.
 */
const T = 1_765_000_000_000;
const run = { runId: "run1", at: T };
const totals = { tasksDone: 3, tasksFailed: 1, elapsedMs: 4200, costUsd: 0.25 };
const usage = { inputTokens: 10, outputTokens: 20, cacheReadTokens: 3, cacheWriteTokens: 4, costUsd: 0.01, contextWindow: 200000 };

const cases: { name: string; event: RunEvent; lines: string[] }[] = [
  {
    // batch-processor L90-95: start{playbook{id,name}, session{id,name,cwd}}
    name: "run started (direct run: the run id stands in for the playbook id)",
    event: {
      ...run,
      seq: 1,
      type: "run-started",
      kind: "direct",
      playbookId: null,
      name: "plan.md",
      tabId: "tab1",
      agent: { id: "ag1", name: "Builder", folder: "/p" },
    },
    lines: [
      `{"type":"start","timestamp":${T},"playbook":{"id":"run1","name":"plan.md"},"session":{"id":"ag1","name":"Builder","cwd":"/p"},"runId":"run1","tabId":"tab1"}`,
    ],
  },
  {
    name: "run started from a playbook",
    event: {
      ...run,
      seq: 1,
      type: "run-started",
      kind: "playbook",
      playbookId: "pb1",
      name: "Nightly",
      tabId: "tab1",
      agent: { id: "ag1", name: "Builder", folder: "/p" },
    },
    lines: [
      `{"type":"start","timestamp":${T},"playbook":{"id":"pb1","name":"Nightly"},"session":{"id":"ag1","name":"Builder","cwd":"/p"},"runId":"run1","tabId":"tab1"}`,
    ],
  },
  {
    // L391-397: document_start{document (no .md), index, taskCount}
    name: "document started",
    event: { ...run, seq: 2, type: "document-started", document: "sub/Plan.MD", docIndex: 1, loop: 1, taskCount: 3 },
    lines: [`{"type":"document_start","timestamp":${T},"document":"sub/Plan","index":1,"taskCount":3}`],
  },
  {
    // L412-417: task_start{document, taskIndex}
    name: "task started",
    event: {
      ...run,
      seq: 3,
      type: "task-started",
      document: "plan.md",
      docIndex: 0,
      loop: 1,
      taskIndex: 2,
      task: "write it",
      line: 7,
      attemptId: "a1",
    },
    lines: [`{"type":"task_start","timestamp":${T},"document":"plan","taskIndex":2,"task":"write it","line":7}`],
  },
  {
    // L554-565: task_complete{document, taskIndex, success, summary, fullResponse, elapsedMs, usageStats, agentSessionId}
    name: "task completed",
    event: {
      ...run,
      seq: 4,
      type: "task-completed",
      document: "plan.md",
      docIndex: 0,
      loop: 1,
      taskIndex: 0,
      attemptId: "a1",
      turnId: "t1",
      success: true,
      status: "done",
      summary: "Did it.",
      response: "Did it.\n\nDetails.",
      elapsedMs: 1500,
      usage,
      providerSessionId: "sess-9",
    },
    lines: [
      `{"type":"task_complete","timestamp":${T},"document":"plan","taskIndex":0,"success":true,"summary":"Did it.","fullResponse":"Did it.\\n\\nDetails.","elapsedMs":1500,` +
        `"usageStats":{"inputTokens":10,"outputTokens":20,"cacheReadInputTokens":3,"cacheCreationInputTokens":4,"totalCostUsd":0.01,"contextWindow":200000},` +
        `"agentSessionId":"sess-9","status":"done","turnId":"t1"}`,
    ],
  },
  {
    name: "task failed, no provider session (agentSessionId left out, as desktop's optional field)",
    event: {
      ...run,
      seq: 4,
      type: "task-completed",
      document: "plan.md",
      docIndex: 0,
      loop: 1,
      taskIndex: 1,
      attemptId: "a2",
      turnId: "t2",
      success: false,
      status: "failed",
      summary: "boom",
      response: "boom",
      elapsedMs: 20,
      usage: { ...usage, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, contextWindow: 0 },
      providerSessionId: null,
    },
    lines: [
      `{"type":"task_complete","timestamp":${T},"document":"plan","taskIndex":1,"success":false,"summary":"boom","fullResponse":"boom","elapsedMs":20,` +
        `"usageStats":{"inputTokens":0,"outputTokens":0,"cacheReadInputTokens":0,"cacheCreationInputTokens":0,"totalCostUsd":0,"contextWindow":0},"status":"failed","turnId":"t2"}`,
    ],
  },
  {
    // L657-662: document_complete{document, tasksCompleted}
    name: "document completed",
    event: { ...run, seq: 5, type: "document-completed", document: "plan.md", docIndex: 0, loop: 1, tasksDone: 3 },
    lines: [`{"type":"document_complete","timestamp":${T},"document":"plan","tasksCompleted":3}`],
  },
  {
    // L797-803: loop_complete{iteration, tasksCompleted, elapsedMs, usageStats (cumulative, cache 0, contextWindow 0)}
    name: "loop completed with another loop to follow",
    event: {
      ...run,
      seq: 6,
      type: "loop-completed",
      loop: 1,
      again: true,
      tasksDone: 2,
      elapsedMs: 900,
      usage: { inputTokens: 5, outputTokens: 6, costUsd: 0.5 },
    },
    lines: [
      `{"type":"loop_complete","timestamp":${T},"iteration":1,"tasksCompleted":2,"elapsedMs":900,` +
        `"usageStats":{"inputTokens":5,"outputTokens":6,"cacheReadInputTokens":0,"cacheCreationInputTokens":0,"totalCostUsd":0.5,"contextWindow":0}}`,
    ],
  },
  {
    name: "the last loop: desktop writes nothing",
    event: {
      ...run,
      seq: 6,
      type: "loop-completed",
      loop: 2,
      again: false,
      tasksDone: 0,
      elapsedMs: 900,
      usage: { inputTokens: 5, outputTokens: 6, costUsd: 0.5 },
    },
    lines: [],
  },
  {
    // L845-853: complete{success, totalTasksCompleted, totalElapsedMs, totalCost}
    name: "run done",
    event: { ...run, seq: 7, type: "run-ended", status: "done", reason: "All tasks done.", totals, halt: null },
    lines: [
      `{"type":"complete","timestamp":${T},"success":true,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"status":"done","endReason":"All tasks done.","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    name: "run aborted: success false, not halted",
    event: { ...run, seq: 7, type: "run-ended", status: "aborted", reason: "Aborted by you.", totals, halt: null },
    lines: [
      `{"type":"complete","timestamp":${T},"success":false,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"status":"aborted","endReason":"Aborted by you.","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    // L605-625: halt{document, taskIndex, reason}, then complete{success:false, …, halted:true, haltReason}
    name: "halted by a marker: halt, then complete{halted}",
    event: {
      ...run,
      seq: 7,
      type: "run-ended",
      status: "halted",
      reason: "plan.md says halt: tests red",
      totals,
      halt: { document: "plan.md", docIndex: 0, taskIndex: 1, reason: "tests red" },
    },
    lines: [
      `{"type":"halt","timestamp":${T},"document":"plan","taskIndex":1,"reason":"tests red"}`,
      `{"type":"complete","timestamp":${T},"success":false,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"halted":true,"haltReason":"tests red","status":"halted","endReason":"plan.md says halt: tests red","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    name: "paused for a person: desktop's halt with the pause kind and reason, then a final complete",
    event: {
      ...run,
      seq: 7,
      type: "paused",
      document: "plan.md",
      docIndex: 0,
      taskIndex: 0,
      kind: "error",
      reason: "The provider failed.",
      resumeAt: null,
      totals,
    },
    lines: [
      `{"type":"halt","timestamp":${T},"document":"plan","taskIndex":0,"reason":"The provider failed.","pauseKind":"error"}`,
      `{"type":"complete","timestamp":${T},"success":false,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"halted":true,"haltReason":"The provider failed.","status":"paused","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    name: "paused past the last document: document is an empty string, as desktop's field is",
    event: { ...run, seq: 7, type: "paused", taskIndex: 0, kind: "user", reason: "Paused by you.", resumeAt: null, totals },
    lines: [
      `{"type":"halt","timestamp":${T},"document":"","taskIndex":0,"reason":"Paused by you.","pauseKind":"user"}`,
      `{"type":"complete","timestamp":${T},"success":false,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"halted":true,"haltReason":"Paused by you.","status":"paused","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    name: "paused by a rate limit with its end known: one non-final paused line (the run resumes by itself)",
    event: {
      ...run,
      seq: 7,
      type: "paused",
      document: "plan.md",
      docIndex: 0,
      taskIndex: 1,
      kind: "rate_limit",
      reason: "Rate limited: waiting until 12:00:00, then the run goes on.",
      resumeAt: T + 60_000,
      totals,
    },
    lines: [
      `{"type":"paused","timestamp":${T},"pauseKind":"rate_limit","reason":"Rate limited: waiting until 12:00:00, then the run goes on.","resumeAt":${T + 60_000},"document":"plan"}`,
    ],
  },
  {
    name: "a rate limit without a known end waits for a person: final",
    event: { ...run, seq: 7, type: "paused", taskIndex: 0, kind: "rate_limit", reason: "Rate limited.", resumeAt: null, totals },
    lines: [
      `{"type":"halt","timestamp":${T},"document":"","taskIndex":0,"reason":"Rate limited.","pauseKind":"rate_limit"}`,
      `{"type":"complete","timestamp":${T},"success":false,"totalTasksCompleted":3,"totalElapsedMs":4200,"totalCost":0.25,"halted":true,"haltReason":"Rate limited.","status":"paused","tasksFailed":1,"runId":"run1"}`,
    ],
  },
  {
    name: "resumed: our extra line (desktop has no such moment)",
    event: { ...run, seq: 8, type: "resumed" },
    lines: [`{"type":"resumed","timestamp":${T}}`],
  },
  {
    // jsonl.ts: error{message, code?}
    name: "error",
    event: { ...run, seq: 1, type: "error", code: "NO_TASKS", message: "No unchecked tasks." },
    lines: [`{"type":"error","timestamp":${T},"message":"No unchecked tasks.","code":"NO_TASKS"}`],
  },
];

describe("toDesktopJsonl", () => {
  test.each(cases)("$name", ({ event, lines }) => {
    expect(toDesktopJsonl(event).map((l) => JSON.stringify(l))).toEqual(lines);
  });

  test("the context's timestamp overrides the event's time", () => {
    const [line] = toDesktopJsonl(cases.at(-1)!.event, { timestamp: 42 });
    expect(Object.keys(line!).slice(0, 2)).toEqual(["type", "timestamp"]);
    expect(line!.timestamp).toBe(42);
  });
});

describe("replayWindow", () => {
  const ev = (seq: number, type: "run-started" | "paused" | "error"): RunEvent =>
    type === "run-started"
      ? { ...run, seq, type, kind: "direct", playbookId: null, name: "x", tabId: null, agent: { id: "a", name: "a", folder: "/" } }
      : type === "paused"
        ? { ...run, seq, type, taskIndex: 0, kind: "user", reason: "r", resumeAt: null, totals }
        : { ...run, seq, type, code: "X", message: String(seq) };

  test("a run never paused replays whole", () => {
    expect(replayWindow([ev(1, "run-started"), ev(2, "error"), ev(3, "error")]).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
  test("a run paused now replays up to its pause", () => {
    expect(replayWindow([ev(1, "run-started"), ev(2, "error"), ev(3, "paused")]).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
  test("a run resumed a moment ago replays only its start", () => {
    const resumed: RunEvent = { ...run, seq: 3, type: "resumed" };
    expect(replayWindow([ev(1, "run-started"), ev(2, "paused"), resumed]).map((e) => e.seq)).toEqual([1, 3]);
  });
  test("a resumed run replays its start, then what followed its latest pause", () => {
    const log = [ev(1, "run-started"), ev(2, "paused"), ev(3, "error"), ev(4, "paused"), ev(5, "error")];
    expect(replayWindow(log).map((e) => e.seq)).toEqual([1, 5]);
  });
  test("a rate limit's pause does not cut the replay (its line was not final)", () => {
    const limited: RunEvent = { ...run, seq: 3, type: "paused", taskIndex: 0, kind: "rate_limit", reason: "r", resumeAt: T, totals };
    const resumed: RunEvent = { ...run, seq: 4, type: "resumed" };
    const log = [ev(1, "run-started"), ev(2, "error"), limited, resumed, ev(5, "error")];
    expect(replayWindow(log).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("startErrorCode", () => {
  test.each([
    [{ code: "CONFLICT", field: "halt", message: "x has a halt marker" }, "HALT_MARKER_PRESENT"],
    [{ code: "CONFLICT", message: "Builder already has a running Auto Run. Finish or abort it first." }, "AGENT_BUSY"],
    [{ code: "NOT_FOUND", message: "That agent no longer exists." }, "NOT_FOUND"],
    [{ code: "BAD_INPUT", message: "bad" }, "BAD_INPUT"],
    [{ code: "INTERNAL", message: "?" }, "EXECUTION_ERROR"],
  ])("%o → %s", (err, code) => {
    expect(startErrorCode(err)).toBe(code);
  });
});

describe("dryRunJsonl (batch-processor's dry run: document_start{dryRun}, task_preview…, document_complete{dryRun}, complete{wouldProcess})", () => {
  const base = { playbook: { id: "pb1", name: "Nightly" }, agent: { id: "ag1", name: "Builder", folder: "/p" } };
  test("documents with tasks, one without (left out)", () => {
    const lines = dryRunJsonl(
      {
        ...base,
        documents: [
          { filename: "a.md", tasks: ["one", "two"] },
          { filename: "b.md", tasks: [] },
          { filename: "c", tasks: ["three"] },
        ],
      },
      T,
    );
    expect(lines.map((l) => JSON.stringify(l))).toEqual([
      `{"type":"start","timestamp":${T},"playbook":{"id":"pb1","name":"Nightly"},"session":{"id":"ag1","name":"Builder","cwd":"/p"}}`,
      `{"type":"document_start","timestamp":${T},"document":"a","index":0,"taskCount":2,"dryRun":true}`,
      `{"type":"task_preview","timestamp":${T},"document":"a","taskIndex":0,"task":"one"}`,
      `{"type":"task_preview","timestamp":${T},"document":"a","taskIndex":1,"task":"two"}`,
      `{"type":"document_complete","timestamp":${T},"document":"a","tasksCompleted":2,"dryRun":true}`,
      `{"type":"document_start","timestamp":${T},"document":"c","index":2,"taskCount":1,"dryRun":true}`,
      `{"type":"task_preview","timestamp":${T},"document":"c","taskIndex":0,"task":"three"}`,
      `{"type":"document_complete","timestamp":${T},"document":"c","tasksCompleted":1,"dryRun":true}`,
      `{"type":"complete","timestamp":${T},"success":true,"totalTasksCompleted":0,"totalElapsedMs":0,"dryRun":true,"wouldProcess":3}`,
    ]);
  });
  test("nothing to do: start, then error NO_TASKS", () => {
    expect(dryRunJsonl({ ...base, documents: [{ filename: "a.md", tasks: [] }] }, T).map((l) => JSON.stringify(l))).toEqual([
      `{"type":"start","timestamp":${T},"playbook":{"id":"pb1","name":"Nightly"},"session":{"id":"ag1","name":"Builder","cwd":"/p"}}`,
      `{"type":"error","timestamp":${T},"message":"No unchecked tasks found in any documents","code":"NO_TASKS"}`,
    ]);
  });
});
