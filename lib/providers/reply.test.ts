import { describe, expect, test } from "vitest";
import { createReplyTracker, replyFrom, type ReplyEvent } from "./reply";

const cases: { name: string; events: ReplyEvent[]; text: string; error?: string | null; resetsAt?: string | null }[] = [
  { name: "nothing", events: [], text: "" },
  {
    name: "the CLI's result wins",
    events: [
      { type: "text", text: "thinking aloud" },
      { type: "done", ok: true, result: "Final." },
    ],
    text: "Final.",
  },
  {
    name: "a blank result falls back to the last message",
    events: [
      { type: "text", text: "a" },
      { type: "text", text: "b" },
      { type: "done", ok: true, result: "  " },
    ],
    text: "b",
  },
  {
    name: "deltas continue a message",
    events: [
      { type: "text", text: "Hel" },
      { type: "text", text: "lo", delta: true },
    ],
    text: "Hello",
  },
  {
    name: "same messageId continues with a blank line",
    events: [
      { type: "text", text: "one", messageId: "m" },
      { type: "text", text: "two", messageId: "m" },
    ],
    text: "one\n\ntwo",
  },
  {
    name: "a new messageId starts a new message",
    events: [
      { type: "text", text: "one", messageId: "m" },
      { type: "text", text: "two", messageId: "n" },
    ],
    text: "two",
  },
  {
    name: "a trailing blank message is skipped",
    events: [
      { type: "text", text: "real" },
      { type: "text", text: "   " },
    ],
    text: "real",
  },
  {
    name: "blank messages are skipped back to the last real one",
    events: [
      { type: "text", text: "first" },
      { type: "text", text: "second" },
      { type: "text", text: " " },
      { type: "text", text: "" },
    ],
    text: "second",
  },
  {
    name: "first fatal error, last reset time; non-fatal errors ignored",
    events: [
      { type: "error", fatal: false, message: "warn" },
      { type: "error", fatal: true, message: "limit", resetsAt: "2030-01-01T00:00:00Z" },
      { type: "error", fatal: true, message: "later", resetsAt: "2030-01-02T00:00:00Z" },
    ],
    text: "",
    error: "limit",
    resetsAt: "2030-01-02T00:00:00Z",
  },
];

describe("reply of a turn", () => {
  for (const c of cases) {
    test(c.name, () => {
      expect(replyFrom(c.events)).toEqual({ text: c.text, error: c.error ?? null, resetsAt: c.resetsAt ?? null });
    });
  }

  test("live tracking gives the same reply as the whole list, at every point", () => {
    const events = cases.flatMap((c) => c.events);
    const t = createReplyTracker();
    events.forEach((e, i) => {
      t.take(e);
      expect(t.reply()).toEqual(replyFrom(events.slice(0, i + 1)));
    });
  });
});
