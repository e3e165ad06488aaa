import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { tempDir } from "../../testing/harness";
import { execThread } from "../exec-thread";
import { gitOk, runGit } from "./run-git";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test("runs real git with argv: the exit status is returned, stderr named when asked to throw", async () => {
  const repo = tempDir("maestro-git-");
  dirs.push(repo);
  await gitOk(["init", "-q", "-b", "main"], { cwd: repo });
  expect((await gitOk(["rev-parse", "--is-inside-work-tree"], { cwd: repo })).trim()).toBe("true");
  const outside = await runGit(["rev-parse", "HEAD"], { cwd: repo });
  expect(outside.code).not.toBe(0);
  await expect(gitOk(["rev-parse", "--verify", "nope"], { cwd: repo })).rejects.toThrow(/^git rev-parse failed: /);
  // A file named like an option is a path after `--`, never an option.
  fs.writeFileSync(path.join(repo, "--upload-pack=x"), "x");
  await gitOk(["add", "--", "--upload-pack=x"], { cwd: repo });
  expect(await gitOk(["diff", "--cached", "--name-only"], { cwd: repo })).toBe("--upload-pack=x\n");
});

test("a failure names git's own reason, not the progress line printed before it", async () => {
  const repo = tempDir("maestro-git-");
  dirs.push(repo);
  await gitOk(["init", "-q", "-b", "main"], { cwd: repo });
  await gitOk(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const r = await runGit(["worktree", "add", "-b", "main", "--", path.join(repo, "wt"), "HEAD"], { cwd: repo });
  expect(r.stderr).toMatch(/^Preparing worktree/);
  await expect(gitOk(["worktree", "add", "-b", "main", "--", path.join(repo, "wt"), "HEAD"], { cwd: repo })).rejects.toThrow(
    "git worktree failed: a branch named 'main' already exists",
  );
});

test("too much output is a clear error; stdin is closed, so git never waits for input", async () => {
  const repo = tempDir("maestro-git-");
  dirs.push(repo);
  await gitOk(["init", "-q"], { cwd: repo });
  await expect(gitOk(["help", "-a"], { cwd: repo, maxBytes: 10 })).rejects.toThrow(/printed more than this view can hold/);
  const empty = await runGit(["hash-object", "--stdin"], { cwd: repo, timeoutMs: 5000 });
  expect(empty).toMatchObject({ code: 0, stdout: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n" });
});

test("git runs on the command thread; a thread that dies fails only what was pending, and the next command gets a new one", async () => {
  const repo = tempDir("maestro-git-");
  dirs.push(repo);
  const before = execThread.served();
  await gitOk(["init", "-q"], { cwd: repo });
  expect(execThread.served()).toBe(before + 1);
  // A command that is still running when the thread dies (an alias that sleeps).
  const slow = runGit(["-c", "alias.nap=!sleep 3", "nap"], { cwd: repo });
  await execThread.kill();
  await expect(slow).rejects.toThrow(/command thread stopped/);
  expect((await gitOk(["rev-parse", "--is-inside-work-tree"], { cwd: repo })).trim()).toBe("true");
  expect(execThread.served()).toBe(before + 2);
});
