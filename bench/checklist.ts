/**
 * bench/checklist.ts — the checklist engine's parse time on a 50,000-task document written like
 * the real ones: headings, nested tasks, code fences in list items, commented-out checklists,
 * `<details>` blocks, review gates and inline code. Budget (issue 17): under 100 ms to parse.
 * Prints the median and the slowest of the timed runs (after warm-up, so the JIT is settled).
 * Last line: `checklist: <ms> ms median to parse 50,000 tasks (max <ms> ms, budget 100 ms)`
 */
import { parseChecklist } from "../lib/autorun/checklist";

const TASKS = 50_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function document(): string {
  const out: string[] = ["# Release plan", "", '<!-- maestro:review reason="check the plan" -->', ""];
  for (let i = 0; i < TASKS; i++) {
    if (i % 1000 === 0) out.push("", `## Phase ${i / 1000 + 1}`, "", "Run `<!-- maestro:halt: x -->` to stop; see the notes.", "");
    if (i % 250 === 0) out.push("<!--", "- [ ] commented out", "-->", "<details>", "- [ ] in details", "</details>", "");
    out.push(`${i % 5 === 4 ? "  " : ""}- [${i % 2 ? "x" : " "}] task ${i} with **bold** and \`code\``);
    if (i % 100 === 0) out.push("  ```bash", "  - [ ] not a task", "  make test", "  ```");
  }
  return out.join("\n");
}

const md = document();
const check = parseChecklist(md);
if (check.total !== TASKS) throw new Error(`expected ${TASKS} tasks, found ${check.total}`);
for (let i = 0; i < 5; i++) parseChecklist(md);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  parseChecklist(md);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`document: ${(md.length / 1e6).toFixed(1)} MB, ${md.split("\n").length.toLocaleString("en-US")} lines, ${RUNS} timed runs`);
console.log(
  `checklist: ${median.toFixed(1)} ms median to parse ${TASKS.toLocaleString("en-US")} tasks (max ${times[times.length - 1]!.toFixed(1)} ms, budget 100 ms)`,
);
