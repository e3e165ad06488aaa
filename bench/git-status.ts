/**
 * bench/git-status.ts — what the git status of 20 agents costs over git itself. 20 clones of a local
 * bare repository (300 files each, some edited, staged, new, and a commit ahead) are agents on
 * real SQLite; `services.git.statuses()` with its cache emptied (the cold case: every agent's
 * git runs) is timed against 20 bare `git status --porcelain` spawns (execFile, in parallel as
 * ours are) in the same process, alternating, median of the rounds. Budget (issue 12): ratio ≤ 1.3.
 * Last line: `git-status: status-20 <ms> ms, bare-20 <ms> ms, ratio <x>` (bench/git.ts runs it with git-diff.ts)
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestServices, tempDir } from "../server/testing/harness";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const FILES = Number(process.env.BENCH_FILES ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });

const root = tempDir("maestro-bench-git-");
const bare = path.join(root, "upstream.git");
fs.mkdirSync(bare);
git(bare, "init", "-q", "--bare", "-b", "main");
const seed = path.join(root, "seed");
fs.mkdirSync(seed);
git(seed, "init", "-q", "-b", "main");
for (let i = 0; i < FILES; i++) {
  const dir = path.join(seed, `src/m${i % 15}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `f${i}.ts`), `export const v${i} = ${i};\n`.repeat(20));
}
git(seed, "add", ".");
git(seed, "commit", "-qm", "seed");
git(seed, "remote", "add", "origin", bare);
git(seed, "push", "-q", "origin", "main");

const services = createTestServices();
const folders: string[] = [];
for (let a = 0; a < AGENTS; a++) {
  const work = path.join(root, `agent-${a}`);
  git(root, "clone", "-q", bare, work);
  git(work, "commit", "-q", "--allow-empty", "-m", "ahead");
  fs.writeFileSync(path.join(work, "src/m0/f0.ts"), "edited\n");
  fs.writeFileSync(path.join(work, "src/m1/f1.ts"), "staged\n");
  git(work, "add", "src/m1/f1.ts");
  fs.writeFileSync(path.join(work, `new-${a}.ts`), "new\n");
  folders.push(fs.realpathSync(work));
  await services.agents.create({ name: `bench ${a}`, folder: work });
}

const bareStatus = (cwd: string) =>
  new Promise<void>((resolve, reject) =>
    execFile("git", ["status", "--porcelain"], { cwd }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );

async function ours(): Promise<number> {
  services.git.clear();
  const t = performance.now();
  const all = await services.git.statuses();
  const ms = performance.now() - t;
  if (Object.values(all).filter((s) => s?.dirty === 3 && s.ahead === 1).length !== AGENTS)
    throw new Error(`wrong statuses: ${JSON.stringify(all)}`);
  return ms;
}
async function bareRun(): Promise<number> {
  const t = performance.now();
  await Promise.all(folders.map(bareStatus));
  return performance.now() - t;
}

// Warm the page cache and the JIT on both paths first.
await ours();
await bareRun();
const mine: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  if (r % 2) {
    theirs.push(await bareRun());
    mine.push(await ours());
  } else {
    mine.push(await ours());
    theirs.push(await bareRun());
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const t0 = performance.now();
await services.git.statuses();
const warm = performance.now() - t0;
await services.cleanup();
fs.rmSync(root, { recursive: true, force: true });

const m = median(mine);
const b = median(theirs);
console.log(`rounds: status-20 ${mine.map((x) => x.toFixed(0)).join(" ")}; bare-20 ${theirs.map((x) => x.toFixed(0)).join(" ")}`);
console.log(`cached (nothing changed since): status-20 ${warm.toFixed(2)} ms`);
console.log(`git-status: status-20 ${m.toFixed(1)} ms, bare-20 ${b.toFixed(1)} ms, ratio ${(m / b).toFixed(2)}`);
