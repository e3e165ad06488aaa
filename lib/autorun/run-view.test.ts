import { expect, test } from "vitest";
import { runProgress } from "./run-view";

const run = {
  status: "running",
  docIndex: 0,
  loop: 1,
  currentTask: "b",
  elapsedMs: 1000,
  activeSince: new Date(10_000),
  maxLoops: null,
  loopEnabled: false,
};
const docs = [
  { filename: "a.md", done: 1, total: 5 },
  { filename: "b.md", done: 0, total: 3 },
];

test.each([
  [
    "working on task 2",
    run,
    docs,
    {
      documentLabel: "Document 1 of 2",
      taskLabel: "Task 2 of 5",
      done: 1,
      total: 8,
      elapsedMs: 3000,
      loopLabel: null,
      statusLabel: "Running",
    },
  ],
  [
    "paused between tasks",
    { ...run, status: "paused", currentTask: null, activeSince: null },
    docs,
    { taskLabel: "Task 1 of 5", elapsedMs: 1000, statusLabel: "Paused" },
  ],
  [
    "second document, looping",
    { ...run, docIndex: 1, loop: 2, maxLoops: 3, loopEnabled: true },
    [{ ...docs[0]!, done: 5 }, docs[1]!],
    { documentLabel: "Document 2 of 2", taskLabel: "Task 1 of 3", loopLabel: "Loop 2 of 3", done: 5 },
  ],
  [
    "finished",
    { ...run, status: "done", docIndex: 2, currentTask: null, activeSince: null },
    [
      { ...docs[0]!, done: 5 },
      { ...docs[1]!, done: 3 },
    ],
    { documentLabel: "Document 2 of 2", taskLabel: "Task 3 of 3", fraction: 1, statusLabel: "Done" },
  ],
])("%s", (_n, r, d, want) => {
  expect(runProgress(r, d, 12_000)).toMatchObject(want);
});
