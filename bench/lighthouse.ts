/**
 * bench/lighthouse.ts — the phone's first load (issue 16): Lighthouse 11 (mobile, its default
 * config: a mid-range phone, slow 4G and a 4× slower CPU, simulated) on the production build
 * served by the real bridge, for the dashboard and an agent's conversation; and the gzip size of
 * every app route's first-load JS (the module <script> tags of its HTML, as bench:startup counts).
 * Budgets: performance ≥ 95 and accessibility ≥ 95 on both pages; first-load JS ≤ 160 kB for
 * the dashboard, ≤ 250 kB for every other route.
 * Env: CHROME_PATH (default /usr/bin/chromium), LIGHTHOUSE_RUNS (runs per page, median score;
 * default 1), LIGHTHOUSE_OUT (a folder for the full JSON reports).
 * Last line: `lighthouse: perf <n>, a11y <n>, first-load <kB> kB` (scores: the lower page's).
 */
import lighthouse from "lighthouse";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { freePort } from "./free-port";
import { startBridge } from "../e2e/bridge-process";
import { createAuthService } from "../server/auth/service";
import { openDatabase } from "../server/db";
import { buildApp, needsBuild } from "../server/next-build";
import { PROJECT_ROOT } from "../server/version";

const DASHBOARD_KB = 160;
const ROUTE_KB = 250;
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 1));
const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";

/** Every page route under app/, as a URL path: route groups dropped, `[param]` filled in. */
function appRoutes(params: Record<string, string>): string[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
      else if (entry.name === "page.tsx") {
        const parts = segments
          .filter((s) => !/^\(.*\)$/.test(s))
          .map((s) => s.replace(/^\[(.+)\]$/, (_, name: string) => params[`${segments.join("/")}:${name}`] ?? params[name] ?? "none"));
        routes.push(`/${parts.join("/")}`);
      }
    }
  };
  walk(path.join(PROJECT_ROOT, "app"), []);
  return routes.sort();
}

/** Gzip bytes of the module scripts a route's HTML loads (the `noModule` polyfills never are). */
async function firstLoadBytes(base: string, route: string, cookie: string, sizes: Map<string, number>): Promise<number> {
  const res = await fetch(new URL(route, base), { headers: { cookie, accept: "text/html" }, redirect: "manual" });
  if (!res.ok) throw new Error(`${route} answered ${res.status}`);
  const html = await res.text();
  const tags = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]).filter((tag) => !/nomodule/i.test(tag));
  const scripts = new Set(tags.map((tag) => tag.match(/src="([^"]+\.js)"/)?.[1]).filter((s): s is string => !!s));
  let bytes = 0;
  for (const src of scripts) {
    if (!sizes.has(src)) sizes.set(src, gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length);
    bytes += sizes.get(src)!;
  }
  return bytes;
}

/** Headless Chromium with a debugging port for Lighthouse to drive. */
async function launchChrome(): Promise<{ port: number; close: () => Promise<void> }> {
  const port = await freePort();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-lh-chrome-"));
  const child = spawn(
    CHROME,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "about:blank",
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/json/version`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || i > 200) throw new Error(`${CHROME} did not start (exit ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    close: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

type PageResult = { perf: number; a11y: number; metrics: string; findings: string[] };

/** One Lighthouse run (performance + accessibility, default mobile config) of one page. */
async function audit(url: string, port: number, cookie: string, name: string): Promise<PageResult> {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility"],
    // Lighthouse clears the origin's storage (cookies too) before loading: the session rides on a header.
    extraHeaders: { Cookie: cookie },
  });
  if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (process.env.LIGHTHOUSE_OUT) {
    fs.mkdirSync(process.env.LIGHTHOUSE_OUT, { recursive: true });
    fs.writeFileSync(path.join(process.env.LIGHTHOUSE_OUT, `${name}.json`), String(result.report));
  }
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const metric = (id: string) => lhr.audits[id]?.displayValue ?? "?";
  const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]
    .map((id) => `${id.replace(/(^|-)(\w)[a-z]*/g, "$2").toUpperCase()} ${metric(id)}`)
    .join(", ");
  // What costs points: failed accessibility audits, and performance audits that are not passed.
  const findings: string[] = [];
  for (const [category, minScore] of [
    ["accessibility", 1],
    ["performance", 0.9],
  ] as const) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (!a || a.score === null || a.scoreDisplayMode === "informative" || a.scoreDisplayMode === "notApplicable") continue;
      if (a.score < minScore) findings.push(`${category}: ${a.id} (${a.title}${a.displayValue ? `: ${a.displayValue}` : ""})`);
    }
  }
  return { perf: score("performance"), a11y: score("accessibility"), metrics, findings };
}

if (needsBuild()) buildApp();
const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-lh-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-lh-project-"));
const db = openDatabase(home);
const auth = createAuthService(db);
const { sessionToken } = await auth.pair((await auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
const cookie = `maestro_session=${sessionToken}`;

// A short simulator conversation: two turns, the second replying in markdown with a code block.
const agent = await db.agent.create({
  data: { name: "Docs helper", folder: project, provider: "simulator", lastActivity: "Added a usage section" },
});
await db.agent.create({ data: { name: "API tests", folder: project, provider: "simulator", sortOrder: 1 } });
const tab = await db.tab.create({ data: { agentId: agent.id, name: "Main", providerSessionId: "00000000-0000-4000-8000-000000000001" } });
const replies = [
  ["What does this project do?", "It is a small command-line tool that converts CSV files to JSON, one object per row."],
  [
    "Add a usage section to the README",
    "Done. I added a **Usage** section:\n\n```sh\ncsv2json input.csv > output.json\n```\n\n- reads from a file or stdin\n- writes one JSON array\n\nRun `npm test` to check the examples.",
  ],
] as const;
for (const [prompt, reply] of replies) {
  const turn = await db.turn.create({
    data: {
      tabId: tab.id,
      agentId: agent.id,
      prompt,
      status: "done",
      durationMs: 2400,
      inputTokens: 900,
      outputTokens: 120,
      costUsd: 0.004,
      endedAt: new Date(),
    },
  });
  const events = [
    { type: "prompt", payload: { prompt, images: 0 } },
    { type: "session", payload: { sessionId: "00000000-0000-4000-8000-000000000001" } },
    { type: "tool_call", payload: { id: `read-${turn.id}`, name: "Read", input: { file_path: "README.md" }, status: "completed" } },
    { type: "tool_result", payload: { id: `read-${turn.id}`, output: "# csv2json\n", isError: false } },
    { type: "text", payload: { text: reply, messageId: `m-${turn.id}`, delta: false } },
    { type: "usage", payload: { inputTokens: 900, outputTokens: 120, costUsd: 0.004 } },
    { type: "turn_end", payload: { status: "done", durationMs: 2400, inputTokens: 900, outputTokens: 120, costUsd: 0.004 } },
  ];
  await db.event.createMany({ data: events.map((e) => ({ turnId: turn.id, type: e.type, payload: JSON.stringify(e.payload) })) });
}
await db.$disconnect();

const bridge = await startBridge(home);
let chrome: Awaited<ReturnType<typeof launchChrome>> | null = null;
try {
  const sizes = new Map<string, number>();
  const rows: { route: string; kb: number; budget: number }[] = [];
  for (const route of appRoutes({ "(app)/agents/[id]:id": agent.id, "shared/agents/[id]:id": agent.id })) {
    const kb = (await firstLoadBytes(bridge.url, route, cookie, sizes)) / 1024;
    rows.push({ route, kb, budget: route === "/" ? DASHBOARD_KB : ROUTE_KB });
  }
  const width = Math.max(...rows.map((r) => r.route.length));
  console.log(`${"route".padEnd(width)}  first-load JS (gzip)`);
  for (const r of rows)
    console.log(`${r.route.padEnd(width)}  ${r.kb.toFixed(1).padStart(6)} kB  ${r.kb <= r.budget ? "ok" : "OVER"} (≤ ${r.budget})`);

  chrome = await launchChrome();
  const pages = [
    { name: "dashboard", url: `${bridge.url}/` },
    { name: "conversation", url: `${bridge.url}/agents/${encodeURIComponent(agent.id)}` },
  ];
  const scores: { perf: number; a11y: number }[] = [];
  for (const page of pages) {
    const runs: PageResult[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await audit(page.url, chrome.port, cookie, `${page.name}-${i + 1}`));
    const median = (pick: (r: PageResult) => number) => runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    const perf = median((r) => r.perf);
    const a11y = median((r) => r.a11y);
    scores.push({ perf, a11y });
    console.log(`${page.name}: perf ${perf}, a11y ${a11y} (runs: ${runs.map((r) => `${r.perf}/${r.a11y}`).join(" ")})`);
    console.log(`  ${runs[runs.length - 1]!.metrics}`);
    for (const f of new Set(runs.flatMap((r) => r.findings))) console.log(`  - ${f}`);
  }
  const dashboard = rows.find((r) => r.route === "/")!;
  console.log(
    `lighthouse: perf ${Math.min(...scores.map((s) => s.perf))}, a11y ${Math.min(...scores.map((s) => s.a11y))}, first-load ${dashboard.kb.toFixed(1)} kB`,
  );
} finally {
  await chrome?.close();
  bridge.child.kill("SIGTERM");
  if (bridge.child.exitCode === null) await new Promise((r) => bridge.child.once("exit", r));
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
}
