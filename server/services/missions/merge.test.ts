// mergeFeature's undo with real git: a merge killed midway (as the timeout kills it) leaves the
// index changed and no MERGE_HEAD; the mission's worktree still ends as it was, and the next merge
// goes through.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { git, gitProject } from "./exec.testkit";
import { catchUpFeature, commitWorktree, mergeFeature } from "./merge";

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

function repo() {
  const dir = gitProject("maestro-merge-");
  folders.push(dir);
  return dir;
}

function branchWith(dir: string, branch: string, file: string, text: string, from = "main") {
  git(dir, "checkout", "-q", "-b", branch, from);
  fs.writeFileSync(path.join(dir, file), text);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", `${branch}: ${file}`);
  git(dir, "checkout", "-q", "main");
}

describe("mergeFeature", () => {
  test("git killed mid-merge (staged, no MERGE_HEAD): undone, reason given, the next merge works", async () => {
    const dir = repo();
    branchWith(dir, "f1", "one.txt", "one\n");
    branchWith(dir, "f2", "two.txt", "two\n");
    const before = git(dir, "rev-parse", "HEAD");
    const hook = path.join(dir, ".git", "hooks", "pre-merge-commit");
    // Runs once the merge is staged, before MERGE_HEAD is written: it kills the git that runs it.
    fs.writeFileSync(hook, "#!/bin/sh\nkill -9 $PPID\nexit 1\n", { mode: 0o755 });
    const r = await mergeFeature(dir, "f1", "Merge feature f1");
    expect(r).toEqual({ ok: false, conflicts: [], message: expect.stringMatching(/^The merge failed: /) as unknown });
    expect(r.ok === false && r.message).not.toContain("Putting the mission's worktree back failed");
    expect(git(dir, "rev-parse", "HEAD")).toBe(before);
    expect(git(dir, "status", "--porcelain")).toBe("");
    fs.rmSync(hook);
    const next = await mergeFeature(dir, "f2", "Merge feature f2");
    expect(next.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, "two.txt"), "utf8")).toBe("two\n");
    expect(fs.existsSync(path.join(dir, "one.txt"))).toBe(false);
  });

  test("a conflict names its files and leaves the mission branch as it was", async () => {
    const dir = repo();
    branchWith(dir, "f1", "same.txt", "one\n");
    branchWith(dir, "f2", "same.txt", "two\n");
    expect((await mergeFeature(dir, "f1", "Merge f1")).ok).toBe(true);
    const before = git(dir, "rev-parse", "HEAD");
    const r = await mergeFeature(dir, "f2", "Merge f2");
    expect(r).toMatchObject({ ok: false, conflicts: ["same.txt"] });
    expect(git(dir, "rev-parse", "HEAD")).toBe(before);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });
});

describe("catchUpFeature", () => {
  test("a worktree with no commit of its own whose fast-forward is refused is reset to the mission branch", async () => {
    const dir = repo();
    branchWith(dir, "mission", "dep.txt", "from the dependency\n");
    const wt = `${dir}.wt`;
    folders.push(wt);
    git(dir, "worktree", "add", "-q", "-b", "feature", wt, "main");
    // What a setup script may leave: an untracked file the dependency's merge also adds.
    fs.writeFileSync(path.join(wt, "dep.txt"), "made by setup\n");
    expect(await catchUpFeature(wt, "mission")).toEqual({ conflicts: [] });
    expect(git(wt, "rev-parse", "HEAD")).toBe(git(dir, "rev-parse", "mission"));
    expect(fs.readFileSync(path.join(wt, "dep.txt"), "utf8")).toBe("from the dependency\n");
  });
});

describe("commitWorktree", () => {
  test("nothing changed: false and no commit; a change: one commit; a merge resolved back to HEAD's tree: still committed", async () => {
    const dir = repo();
    const head = git(dir, "rev-parse", "HEAD");
    expect(await commitWorktree(dir, "nothing")).toBe(false);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    fs.writeFileSync(path.join(dir, "new.txt"), "new\n");
    expect(await commitWorktree(dir, "a change")).toBe(true);
    expect(git(dir, "log", "-1", "--format=%s")).toBe("a change");
    // A retry's merge of the mission branch whose resolution keeps the feature's side entirely.
    branchWith(dir, "mission", "new.txt", "theirs\n");
    git(dir, "checkout", "-q", "-b", "feature", "main~1");
    fs.writeFileSync(path.join(dir, "new.txt"), "ours\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "ours");
    expect(() => git(dir, "merge", "-q", "mission")).toThrow();
    fs.writeFileSync(path.join(dir, "new.txt"), "ours\n");
    const ours = git(dir, "rev-parse", "HEAD");
    expect(await commitWorktree(dir, "resolved")).toBe(true);
    expect(git(dir, "rev-parse", "HEAD^1")).toBe(ours);
    expect(git(dir, "rev-parse", "HEAD^2")).toBe(git(dir, "rev-parse", "mission"));
  });
});
