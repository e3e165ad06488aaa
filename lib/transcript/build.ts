/**
 * The transcript of a tab, built from its stored event stream (turns.onEvent). Pure: no I/O,
 * never throws on odd input, and incremental — `applyEvents` copies only the turns and items a
 * batch touches, so a 10,000-event backlog or a fast stream stays cheap, and React can compare
 * by identity.
 *
 * Events arrive in id order; an id at or below the last applied one is ignored, so a stream
 * that resumes after a reconnect (or replays a backlog) never renders anything twice.
 */

import {
  emptyTranscript,
  ZERO_USAGE,
  type TranscriptEvent,
  type TurnStatus,
  type ToolStatus,
  type Usage,
  type TextItem,
  type ThinkingItem,
  type ToolItem,
  type ErrorItem,
  type RawItem,
  type ApprovalItem,
  type ApprovalState,
  type TranscriptItem,
  type Turn,
  type Transcript,
} from "./model";
import { findApproval, readApproval, readDecision } from "./approvals";

export { emptyTranscript, ZERO_USAGE };
export type {
  TranscriptEvent,
  TurnStatus,
  ToolStatus,
  Usage,
  TextItem,
  ThinkingItem,
  ToolItem,
  ErrorItem,
  RawItem,
  ApprovalItem,
  ApprovalState,
  TranscriptItem,
  Turn,
  Transcript,
};

// --- reading untrusted payloads -------------------------------------------------------------

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

const TURN_STATUSES: readonly string[] = ["done", "error", "stopped"];
const TOOL_STATUSES: readonly string[] = ["running", "completed", "failed"];

/** Joins two pieces of one message: directly when either side has the whitespace, else as paragraphs. */
function joinText(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return /\s$/.test(a) || /^\s/.test(b) ? a + b : `${a}\n\n${b}`;
}

/**
 * Applies a batch of events (in id order) and returns the next transcript, or the same object
 * when nothing applied. `prev` is never mutated.
 */
export function applyEvents(prev: Transcript, events: readonly TranscriptEvent[]): Transcript {
  // Objects created or copied during this batch may be mutated in place.
  const fresh = new WeakSet<object>();
  let turns = prev.turns;
  let turnsCopied = false;
  let lastId = prev.lastId;
  let applied = 0;
  const turnIndex = prev.turnIndex;

  const editableTurns = () => {
    if (!turnsCopied) {
      turns = turns.slice();
      turnsCopied = true;
    }
    return turns;
  };

  const findTurn = (turnId: string): number => {
    const last = turns.length - 1;
    if (last >= 0 && turns[last]!.id === turnId) return last;
    const i = turnIndex.get(turnId);
    if (i !== undefined && i < turns.length && turns[i]!.id === turnId) return i;
    for (let j = last; j >= 0; j--) if (turns[j]!.id === turnId) return j;
    return -1;
  };

  const editTurn = (i: number): Turn => {
    const list = editableTurns();
    let t = list[i]!;
    if (!fresh.has(t)) {
      t = { ...t, items: t.items.slice(), usage: { ...t.usage } };
      fresh.add(t);
      list[i] = t;
    }
    return t;
  };

  const editItem = <T extends TranscriptItem>(t: Turn, j: number): T => {
    let it = t.items[j]!;
    if (!fresh.has(it)) {
      it = it.kind === "raw" ? { ...it, lines: it.lines.slice() } : { ...it };
      fresh.add(it);
      t.items[j] = it;
    }
    return it as T;
  };

  const addItem = (t: Turn, item: TranscriptItem) => {
    fresh.add(item);
    t.items.push(item);
    if (item.kind === "tool") t.toolIndex.set(item.id, t.items.length - 1);
  };

  /** The turn an event belongs to, created (without a prompt) if the stream never showed its start. */
  const turnFor = (e: TranscriptEvent): Turn => {
    const i = findTurn(e.turnId);
    if (i >= 0) return editTurn(i);
    const t: Turn = {
      id: e.turnId,
      key: String(e.id),
      prompt: null,
      images: 0,
      startedAt: e.at,
      endedAt: null,
      status: "running",
      items: [],
      usage: { ...ZERO_USAGE },
      durationMs: null,
      error: null,
      filesChanged: null,
      model: null,
      contextWindow: null,
      toolIndex: new Map(),
    };
    fresh.add(t);
    const list = editableTurns();
    list.push(t);
    turnIndex.set(t.id, list.length - 1);
    return t;
  };

  const findTool = (t: Turn, id: string): number => {
    const j = t.toolIndex.get(id);
    if (j !== undefined && j < t.items.length) {
      const it = t.items[j]!;
      if (it.kind === "tool" && it.id === id) return j;
    }
    return -1;
  };

  for (const e of events) {
    if (!e || typeof e.id !== "number" || !(e.id > lastId)) continue;
    lastId = e.id;
    applied++;
    const d = e.data && typeof e.data === "object" ? e.data : {};
    const key = String(e.id);

    switch (e.type) {
      case "prompt": {
        const t = turnFor(e);
        if (t.prompt === null) {
          t.prompt = str(d.prompt) ?? "";
          t.images = num(d.images);
          t.startedAt = e.at;
        }
        break;
      }
      case "text": {
        const text = str(d.text);
        if (!text) break;
        const t = turnFor(e);
        const messageId = str(d.messageId);
        const delta = d.delta === true;
        const lastIdx = t.items.length - 1;
        const last = t.items[lastIdx];
        if (last?.kind === "text" && (delta || (messageId !== undefined && last.messageId === messageId))) {
          const it = editItem<TextItem>(t, lastIdx);
          it.text = delta ? it.text + text : joinText(it.text, text);
          break;
        }
        if (delta) {
          // "continues the previous text of the same message", even across a tool row.
          let target = -1;
          for (let j = lastIdx; j >= 0; j--) {
            const it = t.items[j]!;
            if (it.kind === "text" && (messageId === undefined || it.messageId === messageId)) {
              target = j;
              break;
            }
          }
          if (target >= 0) {
            const it = editItem<TextItem>(t, target);
            it.text += text;
            break;
          }
        }
        addItem(t, { kind: "text", key, text, ...(messageId !== undefined ? { messageId } : {}) });
        break;
      }
      case "thinking": {
        const text = str(d.text);
        if (!text) break;
        const t = turnFor(e);
        const messageId = str(d.messageId);
        const lastIdx = t.items.length - 1;
        const last = t.items[lastIdx];
        if (last?.kind === "thinking" && (d.delta === true || (messageId !== undefined && last.messageId === messageId))) {
          const it = editItem<ThinkingItem>(t, lastIdx);
          it.text = d.delta === true ? it.text + text : joinText(it.text, text);
          break;
        }
        addItem(t, { kind: "thinking", key, text, ...(messageId !== undefined ? { messageId } : {}) });
        break;
      }
      case "tool_call": {
        const id = str(d.id) ?? `anon-${key}`;
        const t = turnFor(e);
        const status = str(d.status);
        const j = findTool(t, id);
        if (j < 0) {
          addItem(t, {
            kind: "tool",
            key,
            id,
            name: str(d.name) || "tool",
            input: d.input ?? null,
            status: status && TOOL_STATUSES.includes(status) ? (status as ToolStatus) : "running",
            output: null,
            isError: false,
          });
          break;
        }
        // The same call again (codex reports started/updated/completed): update it in place.
        const it = editItem<ToolItem>(t, j);
        const name = str(d.name);
        if (name && (it.name === "tool" || it.name !== name)) it.name = name;
        if (d.input !== undefined && d.input !== null) it.input = d.input;
        if (status === "failed") it.status = "failed";
        else if (status === "completed" && it.status !== "failed") it.status = "completed";
        break;
      }
      case "tool_result": {
        const id = str(d.id);
        if (!id) break;
        const t = turnFor(e);
        const isError = d.isError === true;
        const output = str(d.output) ?? "";
        let j = findTool(t, id);
        if (j < 0) {
          // A result whose call we never saw: still show it.
          addItem(t, { kind: "tool", key, id, name: "tool", input: null, status: "running", output: null, isError: false });
          j = t.items.length - 1;
        }
        const it = editItem<ToolItem>(t, j);
        it.output = it.output ? `${it.output}\n${output}` : output;
        it.isError = it.isError || isError;
        it.status = isError || it.status === "failed" ? "failed" : "completed";
        break;
      }
      case "approval": {
        const a = readApproval(d, e.at);
        if (!a) break;
        const t = turnFor(e);
        const j = a.toolUseId ? findTool(t, a.toolUseId) : -1;
        if (j >= 0) editItem<ToolItem>(t, j).approval = a;
        else addItem(t, { kind: "approval", key, approval: a });
        break;
      }
      case "approval_decision": {
        const r = readDecision(d, e.at);
        if (!r) break;
        const t = turnFor(e);
        const j = findApproval(t, r.approvalId);
        if (j < 0) break;
        const it = editItem<ToolItem | ApprovalItem>(t, j);
        if (it.approval) it.approval = { ...it.approval, decision: r.decision };
        break;
      }
      case "usage": {
        const t = turnFor(e);
        t.usage.inputTokens += num(d.inputTokens);
        t.usage.outputTokens += num(d.outputTokens);
        t.usage.costUsd += num(d.costUsd);
        const cw = numOrNull(d.contextWindow);
        if (cw) t.contextWindow = cw;
        break;
      }
      case "session": {
        const t = turnFor(e);
        const model = str(d.model);
        if (model) t.model = model;
        break;
      }
      case "error": {
        const t = turnFor(e);
        const resetsAt = str(d.resetsAt);
        addItem(t, {
          kind: "error",
          key,
          message: str(d.message) || "Something went wrong.",
          errorKind: str(d.kind) || "provider",
          fatal: d.fatal === true,
          ...(resetsAt ? { resetsAt } : {}),
        });
        break;
      }
      case "raw": {
        const line = str(d.line);
        if (line === undefined) break;
        const t = turnFor(e);
        const lastIdx = t.items.length - 1;
        if (t.items[lastIdx]?.kind === "raw") editItem<RawItem>(t, lastIdx).lines.push(line);
        else addItem(t, { kind: "raw", key, lines: [line] });
        break;
      }
      case "turn_end": {
        const t = turnFor(e);
        const status = str(d.status);
        t.status = status && TURN_STATUSES.includes(status) ? (status as TurnStatus) : "error";
        t.endedAt = e.at;
        t.durationMs = numOrNull(d.durationMs);
        t.usage = { inputTokens: num(d.inputTokens), outputTokens: num(d.outputTokens), costUsd: num(d.costUsd) };
        t.error = str(d.error) ?? null;
        t.filesChanged = numOrNull(d.filesChanged);
        for (let j = 0; j < t.items.length; j++) {
          const it = t.items[j]!;
          if (it.kind === "tool" && it.status === "running") editItem<ToolItem>(t, j).status = "interrupted";
        }
        break;
      }
      // "done" (the provider's own end) adds nothing turn_end does not say better; unknown types
      // from a newer bridge are skipped.
      default:
        turnFor(e);
        break;
    }
  }

  if (applied === 0) return prev;
  const totals = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const t of turns) {
    totals.inputTokens += t.usage.inputTokens;
    totals.outputTokens += t.usage.outputTokens;
    totals.costUsd += t.usage.costUsd;
  }
  return { lastId, turns, totals, eventCount: prev.eventCount + applied, turnIndex };
}

/** Builds a transcript from scratch. */
export function buildTranscript(events: readonly TranscriptEvent[]): Transcript {
  return applyEvents(emptyTranscript(), events);
}

/** The turn still running, if any (the last one, without its turn_end). */
export function runningTurn(t: Transcript): Turn | null {
  const last = t.turns[t.turns.length - 1];
  return last && last.status === "running" ? last : null;
}

/** Whether the transcript already shows a turn (e.g. the one a send just started). */
export function hasTurn(t: Transcript, turnId: string): boolean {
  const i = t.turnIndex.get(turnId);
  return i !== undefined && t.turns[i]?.id === turnId;
}
