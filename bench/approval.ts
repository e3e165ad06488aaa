/**
 * bench/approval.ts — an approval through the real bridge and the simulator (claude dialect with
 * `--permission-prompt-tool stdio`), in Chromium at 390×844: (a) show — from the simulator writing
 * its `can_use_tool` line to the card being in the page; (b) answer — from the tap on "Allow once"
 * to the simulator reading the `control_response` on its stdin. The simulator stamps both moments
 * in MAESTRO_SIM_TRACE; the page stamps the card's arrival (a MutationObserver) and the tap (a
 * capture listener), all with Date.now(), the machine's one wall clock; the card counts as shown
 * at the first animation frame after it entered the page. Seven
 * repetitions, one turn each; medians. Budget (issue 14): ≤ 100 ms each.
 * Last line: `approval: show <ms> ms, answer <ms> ms`
 */
import { chromium } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAuthService } from "../server/auth/service";
import { openDatabase } from "../server/db";
import { buildApp, needsBuild } from "../server/next-build";
import { startBridge } from "../e2e/bridge-process";

const RUNS = 7;

if (needsBuild()) buildApp();
const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-approval-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-approval-project-"));
const trace = path.join(home, "sim-trace.jsonl");

const db = openDatabase(home);
const auth = createAuthService(db);
const { sessionToken } = await auth.pair((await auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
const settings = { permissionMode: "ask", env: { MAESTRO_SIM_TRACE: trace } };
const agent = await db.agent.create({
  data: { name: "Asks first", folder: project, provider: "simulator", sortOrder: 0, settingsJson: JSON.stringify(settings) },
});
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
// The page's own stamps, as strings (tsx would wrap a function in a helper the page lacks).
const WATCH = `
  window.__stamps = { shown: {}, tapped: 0 };
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('[data-approval][data-state="pending"]')) {
      const id = el.getAttribute("data-approval");
      if (window.__stamps.shown[id] !== undefined) continue;
      window.__stamps.shown[id] = 0;
      requestAnimationFrame(() => (window.__stamps.shown[id] = Date.now()));
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("button") && e.target.closest("button").textContent === "Allow once")
      window.__stamps.tapped = Date.now();
  }, { capture: true });
  0;
`;

type Stamp = { ev: string; requestId: string; t: number };
const readTrace = (): Stamp[] =>
  fs.existsSync(trace)
    ? fs
        .readFileSync(trace, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Stamp)
    : [];

const show: number[] = [];
const answer: number[] = [];
try {
  await page.goto(`${bridge.url}/agents/${agent.id}`);
  const box = page.getByRole("textbox", { name: "Message" });
  await box.waitFor();
  await page.evaluate(WATCH);
  for (let run = 0; run < RUNS; run++) {
    const before = readTrace().length;
    await box.fill(`write a file named bench-${run}.txt containing run ${run}`);
    await page.getByRole("button", { name: "Send" }).click();
    const card = page.locator('[data-approval][data-state="pending"]');
    await card.waitFor();
    const id = await card.getAttribute("data-approval");
    await page.waitForTimeout(300);
    await card.getByRole("button", { name: "Allow once" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor({ state: "hidden", timeout: 30_000 });
    if (!fs.existsSync(path.join(project, `bench-${run}.txt`))) throw new Error(`run ${run}: the allowed write did not happen`);
    const stamps = readTrace().slice(before);
    const asked = stamps.find((s) => s.ev === "ask");
    const replied = stamps.find((s) => s.ev === "reply");
    if (!asked || !replied) throw new Error(`run ${run}: the simulator traced ${JSON.stringify(stamps)}`);
    const seen = await page.evaluate<{ shown: Record<string, number>; tapped: number }>("window.__stamps");
    const shownAt = seen.shown[id!];
    if (!shownAt) throw new Error(`run ${run}: the card ${id} was never seen pending`);
    show.push(shownAt - asked.t);
    answer.push(replied.t - seen.tapped);
    console.log(`run ${run + 1}: show ${(shownAt - asked.t).toFixed(1)} ms, answer ${(replied.t - seen.tapped).toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  bridge.child.kill("SIGTERM");
  await new Promise((r) => bridge.child.once("exit", r));
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`approval: show ${median(show).toFixed(0)} ms, answer ${median(answer).toFixed(0)} ms`);
