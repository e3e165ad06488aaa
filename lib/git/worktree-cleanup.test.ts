import { describe, expect, test } from "vitest";
import {
  formatSize,
  parsePorcelainPaths,
  removeWarnings,
  staleLosses,
  staleReasons,
  workAtRisk,
  type StaleFacts,
} from "./worktree-cleanup";

const DAY = 86_400_000;
const now = 100 * DAY;
const base: StaleFacts = {
  prunable: false,
  branch: "feat",
  branchExists: true,
  upstreamGone: false,
  mergedIntoMain: false,
  hadOwnCommits: true,
  lastActivityMs: now - DAY,
};

describe("staleReasons", () => {
  test.each<[string, Partial<StaleFacts>, string[]]>([
    ["a worktree in use", {}, []],
    ["merged work", { mergedIntoMain: true }, ["merged"]],
    ["a fresh branch (merged only by ancestry) is not finished work", { mergedIntoMain: true, hadOwnCommits: false }, []],
    ["an upstream deleted on the remote", { upstreamGone: true }, ["gone"]],
    ["a local branch deleted", { branchExists: false }, ["gone"]],
    ["a detached HEAD has no branch to be gone", { branch: null, branchExists: false }, []],
    ["a folder deleted by hand", { prunable: true, lastActivityMs: null }, ["missing"]],
    ["15 days without activity", { lastActivityMs: now - 15 * DAY }, ["old"]],
    ["exactly 14 days is not older than 14", { lastActivityMs: now - 14 * DAY }, []],
    ["several at once", { mergedIntoMain: true, upstreamGone: true, lastActivityMs: now - 40 * DAY }, ["merged", "gone", "old"]],
  ])("%s", (_name, facts, reasons) => {
    expect(staleReasons({ ...base, ...facts }, { nowMs: now, olderThanDays: 14 })).toEqual(reasons);
  });
});

test("removeWarnings and workAtRisk say what would be lost", () => {
  const clean = { uncommitted: 0, unpushed: 0, upstream: null, missing: false };
  expect(removeWarnings(clean)).toEqual([]);
  expect(workAtRisk(clean)).toBe(false);
  const risky = { uncommitted: 1, unpushed: 3, upstream: "origin/feat", missing: false };
  expect(removeWarnings(risky)).toEqual(["1 uncommitted file will be lost.", "3 commits not pushed to origin/feat."]);
  expect(workAtRisk(risky)).toBe(true);
  expect(removeWarnings({ ...clean, unpushed: 1 })).toEqual(["1 commit not on any remote branch or the main branch."]);
  expect(removeWarnings({ ...clean, missing: true })[0]).toMatch(/already gone/);
});

test("parsePorcelainPaths reads -z records, names with spaces and newlines, and skips a rename's original path", () => {
  const out = [" M README.md", "?? new file.txt", "R  to.ts", "from.ts", "A  line\nbreak.md", ""].join("\0");
  expect(parsePorcelainPaths(out)).toEqual(["README.md", "new file.txt", "to.ts", "line\nbreak.md"]);
  expect(parsePorcelainPaths("")).toEqual([]);
});

test("formatSize", () => {
  expect([0, 999, 1000, 12_345, 4_500_000, 1_234_567_890].map(formatSize)).toEqual(["0 B", "999 B", "1.0 KB", "12 KB", "4.5 MB", "1.2 GB"]);
});

describe("staleLosses", () => {
  test("names uncommitted files and a detached HEAD's commits on no branch; nothing when neither", () => {
    expect(staleLosses({ uncommitted: 0, detachedCommits: 0 })).toEqual([]);
    expect(staleLosses({ uncommitted: 1, detachedCommits: 2 })).toEqual(["1 uncommitted file", "2 commits on no branch (detached HEAD)"]);
  });
});
