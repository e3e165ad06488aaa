/**
 * bench/git-diff.ts — opening the diff of a 5,000-line change in Chromium at 390×844, through the
 * real bridge: a repo whose 2,500-line file was rewritten (2,500 deletions + 2,500 additions), the
 * agent's Changes view, tap the file, until every diff line is in the page (the first screen shows
 * earlier: also printed). Five cold opens; the median is reported. Budget (issue 12): ≤ 300 ms.
 * Last line: `git-diff: <ms> ms to render a 5,000-line diff at 390×844`
 */
import { chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAuthService } from "../server/auth/service";
import { openDatabase } from "../server/db";
import { buildApp, needsBuild } from "../server/next-build";
import { startBridge } from "../e2e/bridge-process";

const RUNS = 5;
const HALF = 2500;

if (needsBuild()) buildApp();
const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-gdiff-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-gdiff-project-"));
const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
const git = (...args: string[]) => execFileSync("git", args, { cwd: project, env });
const body = (tag: string) =>
  Array.from({ length: HALF }, (_, i) => `export const ${tag}${i} = compute(${i}, "${tag}") + offset; // line ${i}`).join("\n") + "\n";
git("init", "-q", "-b", "main");
fs.writeFileSync(path.join(project, "big.ts"), body("before"));
git("add", "-A");
git("commit", "-q", "-m", "big");
fs.writeFileSync(path.join(project, "big.ts"), body("after"));

const db = openDatabase(home);
const auth = createAuthService(db);
const { sessionToken } = await auth.pair((await auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
const agent = await db.agent.create({ data: { name: "Big diff", folder: project, provider: "simulator", sortOrder: 0 } });
await db.tab.create({ data: { agentId: agent.id, name: "Main" } });
await db.$disconnect();

const bridge = await startBridge(home);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
await context.addCookies([{ name: "maestro_session", value: sessionToken, url: bridge.url }]);
const page = await context.newPage();
// From the tap to the first frame with diff lines, and to the frame where all are in the page.
// One cheap check per frame in the page itself (a string: tsx would wrap a function in a helper).
const TIME_THE_OPEN = `
  window.__open = new Promise((resolve) => {
    document.addEventListener("click", () => {
      const t0 = performance.now();
      let first = 0;
      function check() {
        const el = document.querySelector('[data-testid="diff-lines"]');
        if (el && !first) first = performance.now();
        if (!el || el.dataset.rendered !== el.dataset.total || el.dataset.total === "0") return requestAnimationFrame(check);
        requestAnimationFrame(() => resolve({ t0, first, t1: performance.now(), lines: Number(el.dataset.total) }));
      }
      requestAnimationFrame(check);
    }, { capture: true, once: true });
  });
  0;
`;
const full: number[] = [];
const first: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${bridge.url}/agents/${agent.id}?view=changes`);
    const row = page.getByRole("list", { name: "Changed files" }).getByRole("button", { name: /big\.ts/ });
    await row.waitFor();
    await page.waitForTimeout(500);
    await page.evaluate(TIME_THE_OPEN);
    await row.click();
    const r = await page.evaluate<{ t0: number; first: number; t1: number; lines: number }>("window.__open");
    if (r.lines < 5000) throw new Error(`expected a 5,000-line diff, got ${r.lines} lines`);
    await page.getByText("after2499", { exact: false }).first().waitFor({ state: "attached" });
    if (process.env.BENCH_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.BENCH_SCREENSHOTS, `git-diff-${run}.png`) });
    full.push(r.t1 - r.t0);
    first.push(r.first - r.t0);
    console.log(`run ${run + 1}: first lines ${(r.first - r.t0).toFixed(0)} ms, all ${r.lines} lines ${(r.t1 - r.t0).toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  bridge.child.kill("SIGTERM");
  await new Promise((r) => bridge.child.once("exit", r));
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`git-diff: first screen ${median(first).toFixed(0)} ms`);
console.log(`git-diff: ${median(full).toFixed(0)} ms to render a 5,000-line diff at 390×844`);
