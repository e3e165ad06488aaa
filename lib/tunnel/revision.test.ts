import { expect, test } from "vitest";
import { isNewerRevision, newerView } from "./revision";

const view = (boot: string, seq: number, state: string) => ({ status: { state, revision: { boot, seq } } });

test("a later change replaces an earlier one; an equal one (a refetch) replaces it too", () => {
  expect(isNewerRevision({ boot: "a", seq: 4 }, { boot: "a", seq: 5 })).toBe(true);
  expect(isNewerRevision({ boot: "a", seq: 5 }, { boot: "a", seq: 5 })).toBe(true);
});

test("a reply that was overtaken is ignored: a late 'idle' from Stop does not hide the running tunnel", () => {
  const running = view("a", 9, "running");
  const lateStopReply = view("a", 6, "idle");
  expect(newerView(running, lateStopReply)).toBe(running);
});

test("a restarted bridge counts from the start again, and its views are taken", () => {
  expect(isNewerRevision({ boot: "old", seq: 40 }, { boot: "new", seq: 1 })).toBe(true);
  const fresh = view("new", 1, "idle");
  expect(newerView(view("old", 40, "running"), fresh)).toBe(fresh);
});

test("the first view is always taken", () => {
  const first = view("a", 0, "idle");
  expect(newerView(undefined, first)).toBe(first);
});
