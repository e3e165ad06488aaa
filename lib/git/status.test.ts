import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStatusV2, sameStatus, type GitStatus } from "./status";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t",
  LC_ALL: "C",
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const status = (cwd: string) => git(cwd, "status", "--porcelain=v2", "--branch", "-z");
function repo(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-gitparse-"));
  dirs.push(d);
  git(d, "init", "-q", "-b", "main");
  return d;
}
const write = (d: string, name: string, text: string) => fs.writeFileSync(path.join(d, name), text);
const base = { branch: "main", upstream: null, ahead: 0, behind: 0, staged: 0, unstaged: 0, untracked: 0, conflicted: 0, dirty: 0 };

describe("parseStatusV2 on real git output", () => {
  it("a repository with no commit yet: branch known, no sha, new files untracked", () => {
    const d = repo();
    write(d, "a.txt", "a");
    expect(parseStatusV2(status(d))).toEqual({ ...base, sha: null, untracked: 1, dirty: 1 });
  });

  it("staged, unstaged, both, untracked, and names with spaces and newlines", () => {
    const d = repo();
    write(d, "a.txt", "a");
    write(d, "b.txt", "b");
    write(d, "c.txt", "c");
    git(d, "add", ".");
    git(d, "commit", "-qm", "one");
    write(d, "a.txt", "a2"); // unstaged
    write(d, "b.txt", "b2");
    git(d, "add", "b.txt"); // staged
    write(d, "c.txt", "c2");
    git(d, "add", "c.txt");
    write(d, "c.txt", "c3"); // both: one file
    write(d, "with space.txt", "s");
    write(d, "new\nline.txt", "n");
    const s = parseStatusV2(status(d));
    expect(s).toEqual({ ...base, sha: git(d, "rev-parse", "--short=7", "HEAD").trim(), staged: 2, unstaged: 2, untracked: 2, dirty: 5 });
  });

  it("a rename is one file; its original path does not count as a second record", () => {
    const d = repo();
    write(d, "old name.txt", "same content for rename detection\n");
    git(d, "add", ".");
    git(d, "commit", "-qm", "one");
    git(d, "mv", "old name.txt", "new\nname.txt");
    const out = status(d);
    expect(out).toContain("\u00002 R.");
    expect(parseStatusV2(out)).toMatchObject({ staged: 1, unstaged: 0, untracked: 0, dirty: 1 });
  });

  it("detached HEAD: no branch, the short sha", () => {
    const d = repo();
    write(d, "a.txt", "a");
    git(d, "add", ".");
    git(d, "commit", "-qm", "one");
    git(d, "checkout", "-q", "--detach");
    const s = parseStatusV2(status(d));
    expect(s.branch).toBeNull();
    expect(s.sha).toBe(git(d, "rev-parse", "--short=7", "HEAD").trim());
  });

  it("a merge conflict counts as conflicted, not staged", () => {
    const d = repo();
    write(d, "a.txt", "base\n");
    git(d, "add", ".");
    git(d, "commit", "-qm", "base");
    git(d, "checkout", "-qb", "other");
    write(d, "a.txt", "other\n");
    git(d, "commit", "-qam", "other");
    git(d, "checkout", "-q", "main");
    write(d, "a.txt", "main\n");
    git(d, "commit", "-qam", "main");
    expect(() => git(d, "merge", "-q", "other")).toThrow();
    expect(parseStatusV2(status(d))).toMatchObject({ branch: "main", conflicted: 1, staged: 0, unstaged: 0, dirty: 1 });
  });

  it("ahead and behind its upstream", () => {
    const up = repo();
    write(up, "a.txt", "a");
    git(up, "add", ".");
    git(up, "commit", "-qm", "one");
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-gitparse-"));
    dirs.push(d);
    git(d, "clone", "-q", up, ".");
    write(up, "b.txt", "b");
    git(up, "add", ".");
    git(up, "commit", "-qm", "two");
    git(d, "fetch", "-q");
    write(d, "c.txt", "c");
    git(d, "add", ".");
    git(d, "commit", "-qm", "mine");
    git(d, "commit", "-q", "--allow-empty", "-m", "mine too");
    expect(parseStatusV2(status(d))).toMatchObject({ branch: "main", upstream: "origin/main", ahead: 2, behind: 1, dirty: 0 });
  });
});

describe("parseStatusV2 on hand-written records", () => {
  const h = "0123456789abcdef0123456789abcdef01234567";
  const rows: [string, string, Partial<GitStatus>][] = [
    ["empty output", "", { branch: null, sha: null, dirty: 0 }],
    ["detached", `# branch.oid ${h}\0# branch.head (detached)\0`, { branch: null, sha: "0123456" }],
    ["no upstream", `# branch.oid ${h}\0# branch.head feat/x\0`, { branch: "feat/x", upstream: null, ahead: 0, behind: 0 }],
    [
      "upstream gone (no ab line)",
      `# branch.oid ${h}\0# branch.head main\0# branch.upstream origin/main\0`,
      { upstream: "origin/main", ahead: 0, behind: 0 },
    ],
    ["ahead/behind", `# branch.head main\0# branch.upstream o/main\0# branch.ab +3 -12\0`, { ahead: 3, behind: 12 }],
    [
      "rename whose original path looks like a record",
      `2 R. N... 100644 100644 100644 ${h} ${h} R100 new\0? not-a-record\0`,
      { staged: 1, untracked: 0, dirty: 1 },
    ],
    ["unmerged", `u UU N... 100644 100644 100644 100644 ${h} ${h} ${h} a b.txt\0`, { conflicted: 1, staged: 0, dirty: 1 }],
    ["ignored records do not count", `! build/\0`, { dirty: 0 }],
    ["path with newline", `? a\nb.txt\0`, { untracked: 1, dirty: 1 }],
    ["modified in work tree only", `1 .M N... 100644 100644 100644 ${h} ${h} x\0`, { staged: 0, unstaged: 1, dirty: 1 }],
  ];
  it.each(rows)("%s", (_name, out, want) => {
    expect(parseStatusV2(out)).toMatchObject(want);
  });
});

describe("sameStatus", () => {
  const a = parseStatusV2(`# branch.head main\0? x\0`);
  it("compares every field", () => {
    expect(sameStatus(a, { ...a })).toBe(true);
    expect(sameStatus(a, { ...a, dirty: 2 })).toBe(false);
    expect(sameStatus(a, null)).toBe(false);
    expect(sameStatus(null, null)).toBe(true);
  });
});
