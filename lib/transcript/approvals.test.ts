import { describe, expect, test } from "vitest";
import { pendingApprovals } from "./approvals";
import { applyEvents, buildTranscript, type ToolItem, type TranscriptEvent } from "./build";

let id = 0;
const ev = (
  type: string,
  data: Record<string, unknown>,
  turnId = "t1",
  at = `2026-12-07T10:00:${String(id).padStart(2, "0")}Z`,
): TranscriptEvent => ({
  id: ++id,
  turnId,
  type,
  data,
  at,
});

const card = (approvalId: string, toolUseId?: string, turnId = "t1") =>
  ev(
    "approval",
    {
      approvalId,
      ...(toolUseId ? { toolUseId } : {}),
      toolName: "Bash",
      kind: "tool",
      input: { command: "rm -rf build" },
      suggestedRule: "Bash(rm:*)",
      expiresAt: "2026-12-07T10:30:00Z",
    },
    turnId,
  );

describe("approval events in the transcript", () => {
  test("the card pairs with its tool call by tool use id; the decision closes it", () => {
    id = 0;
    const t1 = buildTranscript([
      ev("prompt", { prompt: "clean" }),
      ev("tool_call", { id: "toolu_1", name: "Bash", input: { command: "rm -rf build" } }),
      card("a1", "toolu_1"),
    ]);
    const tool = t1.turns[0]!.items[0] as ToolItem;
    expect(tool.kind).toBe("tool");
    expect(tool.approval).toMatchObject({
      approvalId: "a1",
      toolName: "Bash",
      kind: "tool",
      suggestedRule: "Bash(rm:*)",
      noAlwaysAllow: false,
      decision: null,
    });
    expect(t1.turns[0]!.items).toHaveLength(1);
    expect(pendingApprovals(t1).map((p) => p.approval.approvalId)).toEqual(["a1"]);

    const t2 = applyEvents(t1, [ev("approval_decision", { approvalId: "a1", status: "denied", by: "Pixel 8", message: "not now" })]);
    expect((t2.turns[0]!.items[0] as ToolItem).approval!.decision).toMatchObject({ status: "denied", by: "Pixel 8", message: "not now" });
    // The earlier transcript is untouched (items are copied on write).
    expect(tool.approval!.decision).toBeNull();
    expect(pendingApprovals(t2)).toEqual([]);
  });

  test("a card without a matching tool call stands on its own; odd payloads are skipped", () => {
    id = 0;
    const t = buildTranscript([
      ev("prompt", { prompt: "go" }),
      card("a2"),
      ev("approval", { toolName: "Bash" }),
      ev("approval_decision", { approvalId: "a2", status: "weird" }),
    ]);
    const items = t.turns[0]!.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "approval", approval: { approvalId: "a2", decision: null } });
  });

  test("pending requests: oldest first, only of running turns", () => {
    id = 0;
    const t = buildTranscript([
      ev("prompt", { prompt: "old" }, "t0"),
      card("old", undefined, "t0"),
      ev("turn_end", { status: "stopped" }, "t0"),
      ev("prompt", { prompt: "new" }, "t1"),
      ev("approval", { approvalId: "b", toolName: "Write", kind: "tool", input: {}, expiresAt: "" }, "t1", "2026-12-07T10:05:00Z"),
      ev("approval", { approvalId: "a", toolName: "Write", kind: "question", input: {}, expiresAt: "" }, "t1", "2026-12-07T10:04:00Z"),
    ]);
    expect(pendingApprovals(t).map((p) => p.approval.approvalId)).toEqual(["a", "b"]);
    expect(pendingApprovals(t)[0]!.approval.kind).toBe("question");
  });
});
