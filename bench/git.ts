/**
 * bench/git.ts — issue 12's git figure in one line: the diff of a 5,000-line change rendered at
 * 390×844 (bench/git-diff.ts: the real bridge and Chromium) and the git status of 20 agents
 * against 20 bare `git status --porcelain` runs in the same process (bench/git-status.ts). Each
 * runs in its own process, one after the other, so neither measures the other's load.
 * Budgets: diff ≤ 300 ms, ratio ≤ 1.3.
 * Last line: `git: diff <ms> ms, status-20 <ms> ms, ratio <x>`
 */
import { spawn } from "node:child_process";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);

/** Runs one bench script with tsx, echoing its output, and returns its last line. */
function runBench(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, file)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trimEnd().split("\n").pop() ?? "";
      if (code === 0) resolve(last);
      else reject(new Error(`${file} exited with ${code}`));
    });
  });
}

function figure(line: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(line);
  if (!m?.[1]) throw new Error(`no ${what} in “${line}”`);
  return m[1];
}

const diffLine = await runBench("git-diff.ts");
const statusLine = await runBench("git-status.ts");
const diff = figure(diffLine, /git-diff: (\d+) ms/, "diff time");
const status = figure(statusLine, /status-20 ([\d.]+) ms/, "status time");
const ratio = figure(statusLine, /ratio ([\d.]+)/, "ratio");
console.log(`git: diff ${diff} ms, status-20 ${status} ms, ratio ${ratio}`);
