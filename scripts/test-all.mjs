#!/usr/bin/env node
/**
 * `npm test`: every suite, in order — static checks (type check, ESLint with the layer rules,
 * Prettier), unit + integration (Vitest, real SQLite, real child processes), conformance (the real
 * agent CLIs), then e2e (Playwright in the system's Chromium against a real bridge). Ends with
 * one line `N passed, N failed` totalling all suites; exits non-zero if anything failed or a
 * suite could not run. Nothing is skipped silently. e2e runs alongside unit + conformance (see
 * startE2e); the summary counts each suite once, in a fixed order.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findChromium } from "./find-chromium.mjs";

const root = path.resolve(import.meta.dirname, "..");
const tmp = path.join(root, ".tmp");
fs.mkdirSync(tmp, { recursive: true });
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const only = process.argv.slice(2);
const wanted = (suite) => only.length === 0 || only.includes(suite);

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
/** Each failed test by name, repeated at the end: CI may show only the log's tail. */
const failures = [];

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** The first line of a failure message, without colours, cut to a readable length. */
function firstLine(message = "") {
  const line =
    message
      .replace(/\u001b\[[0-9;]*m/g, "")
      .split("\n")
      .find((l) => l.trim()) ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Failed tests and files that failed to load, from a Vitest JSON report. */
function vitestFailures(suite, report) {
  for (const file of report.testResults) {
    const where = path.relative(root, file.name);
    if (file.status === "failed" && file.assertionResults.length === 0) failures.push(`${suite}: ${where}: ${firstLine(file.message)}`);
    for (const t of file.assertionResults.filter((a) => a.status === "failed")) {
      failures.push(`${suite}: ${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    }
  }
}

/** Failed tests from a Playwright JSON report (suites nest; specs hold one test per project). */
function playwrightFailures(report) {
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected") continue;
        const error = t.results?.at(-1)?.error?.message;
        failures.push(`e2e: [${t.projectName}] ${spec.file}:${spec.line} > ${spec.title}: ${firstLine(error)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const e of report.errors ?? []) failures.push(`e2e: ${firstLine(e.message)}`);
}

function record(name, passed, failed, skipped = 0, note = "") {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  summary.push(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${note ? ` (${note})` : ""}`);
}

if (wanted("static")) {
  // Each check is one test: its own output above says what is wrong.
  const checks = [
    ["type check", bin("tsc"), ["--noEmit"]],
    ["lint", bin("eslint"), [".", "--max-warnings=0"]],
    ["format", bin("prettier"), ["--check", ".", "--log-level=warn"]],
  ];
  let passed = 0;
  for (const [name, cmd, args] of checks) {
    console.log(`static: ${name}`);
    const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
    if (r.status === 0) passed++;
    else
      failures.push(
        `static: ${name} failed (exit ${r.status ?? r.signal}); run \`npm run ${name === "type check" ? "typecheck" : name === "lint" ? "lint" : "format:check"}\``,
      );
  }
  record("static", passed, checks.length - passed);
}

/**
 * e2e, started now and run alongside the other suites: Playwright mostly waits on the browser and
 * the bridge, and Vitest on child processes, so on a 2-core machine the two together take little
 * longer than e2e alone. Its output goes to .tmp/e2e.log and is shown when it ends.
 * MAESTRO_TEST_SERIAL=1 runs it after the others instead, with its output live.
 */
function startE2e() {
  const chromium = findChromium();
  if (!chromium.path) {
    console.error(`e2e: cannot run: ${chromium.reason}`);
    return { done: Promise.resolve(() => record("e2e", 0, 1, 0, chromium.reason)) };
  }
  const out = path.join(tmp, "playwright.json");
  fs.rmSync(out, { force: true });
  const log = path.join(tmp, "e2e.log");
  const serial = process.env.MAESTRO_TEST_SERIAL === "1" || only.length === 1;
  const logFd = serial ? null : fs.openSync(log, "w");
  const child = spawn(bin("playwright"), ["test"], {
    cwd: root,
    stdio: serial ? "inherit" : ["ignore", logFd, logFd],
    env: { ...process.env, CHROME_PATH: chromium.path, PW_REPORTER_JSON: out, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (logFd !== null) {
    fs.closeSync(logFd);
    console.log(`e2e: running alongside the other suites (output: ${path.relative(root, log)}, shown when it ends)`);
  }
  const done = new Promise((resolve) =>
    child.once("close", (code, signal) => {
      if (logFd !== null) {
        console.log(`\n──── e2e output (${path.relative(root, log)}) ────`);
        process.stdout.write(fs.readFileSync(log, "utf8"));
      }
      resolve(() => {
        const report = readJson(out);
        if (!report?.stats) record("e2e", 0, 1, 0, `playwright did not report (exit ${code ?? signal})`);
        else {
          const s = report.stats;
          const setupFailed = (report.errors?.length ?? 0) > 0 ? 1 : 0;
          playwrightFailures(report);
          record("e2e", s.expected + s.flaky, s.unexpected + setupFailed, s.skipped);
        }
      });
    }),
  );
  return { done };
}

const runE2eLast = process.env.MAESTRO_TEST_SERIAL === "1";
let e2e = wanted("e2e") && !runE2eLast ? startE2e() : null;

if (wanted("unit")) {
  const out = path.join(tmp, "vitest.json");
  fs.rmSync(out, { force: true });
  const r = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], {
    cwd: root,
    stdio: "inherit",
  });
  const report = readJson(out);
  if (!report) record("unit+integration", 0, 1, 0, `vitest did not report (exit ${r.status})`);
  else {
    // A file that failed to load has no tests but is a failure.
    const brokenFiles = report.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    vitestFailures("unit+integration", report);
    record("unit+integration", report.numPassedTests, report.numFailedTests + brokenFiles, report.numPendingTests + report.numTodoTests);
  }
}

if (wanted("conformance")) {
  // The real agent CLIs (pinned, installed once per machine into a tool cache outside
  // node_modules) run real turns through our adapters and turn runner against scripted local
  // model servers. A CLI that cannot be installed makes its suite print `SKIPPED: …` and count
  // as skipped, never as passed.
  spawnSync(process.execPath, [path.join(root, "conformance", "install-tools.mjs")], { cwd: root, stdio: "inherit" });
  const out = path.join(tmp, "conformance.json");
  fs.rmSync(out, { force: true });
  const r = spawnSync(
    bin("vitest"),
    ["run", "-c", "conformance/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  const report = readJson(out);
  if (!report) record("conformance", 0, 1, 0, `vitest did not report (exit ${r.status})`);
  else {
    const brokenFiles = report.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    vitestFailures("conformance", report);
    const skipped = report.testResults
      .flatMap((f) => f.assertionResults)
      .filter((t) => t.status !== "passed" && t.status !== "failed")
      .map((t) => t.title);
    for (const line of skipped) console.error(line);
    record(
      "conformance",
      report.numPassedTests,
      report.numFailedTests + brokenFiles,
      report.numPendingTests + report.numTodoTests,
      skipped.length ? `${skipped.length} suite(s) SKIPPED, see above` : "",
    );
  }
}

if (wanted("e2e") && runE2eLast) e2e = startE2e();
if (e2e) (await e2e.done)();

if (failures.length > 0) console.log(`\nFailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
console.log(`\n${summary.join("\n")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);
