/**
 * bench/startup.ts — median of 5 cold starts of the bridge (new process each time, started as
 * `maestro start` starts it: the prebuilt bundle, made first if stale) to the first byte of an
 * authenticated dashboard page, and the gzip size of the dashboard's first-load JS.
 * Budgets (issue 2; issue 16): startup ≤ 1500 ms, first-load JS ≤ 150 kB.
 * Last line: `startup: <ms> ms, first-load-js: <kB> kB`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { freePort } from "./free-port";
import { createAuthService } from "../server/auth/service";
import { openDatabase } from "../server/db";
import { buildApp, needsBuild } from "../server/next-build";
import { PROJECT_ROOT } from "../server/version";
import { bridgeArgv } from "../scripts/server-bundle.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** GET with a cookie; resolves at the first byte of the response, or rejects if not listening. */
function firstByte(port: number, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", headers: { cookie, accept: "text/html" } }, (res) => {
      res.once("data", () => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
    });
    req.on("error", reject);
  });
}

async function coldStart(dataDir: string, cookie: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...bridgeArgv(), "--port", String(port), "--no-qr"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MAESTRO_HOME: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  try {
    for (;;) {
      try {
        const status = await firstByte(port, cookie);
        if (status !== 200) throw new Error(`dashboard answered ${status}`);
        return performance.now() - t0;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ECONNREFUSED") throw err;
        if (child.exitCode !== null) throw new Error(`bridge exited with ${child.exitCode}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

async function firstLoadJsKb(dataDir: string, cookie: string): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, [...bridgeArgv(), "--port", String(port), "--no-qr"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, MAESTRO_HOME: dataDir },
    stdio: "ignore",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    let html = "";
    for (let i = 0; i < 400 && !html; i++) {
      html = await fetch(base, { headers: { cookie } }).then(
        (r) => (r.ok ? r.text() : ""),
        () => "",
      );
      if (!html) await new Promise((r) => setTimeout(r, 25));
    }
    // Module scripts only: the `noModule` polyfill bundle is never fetched by modern browsers.
    const tags = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]).filter((tag) => !/nomodule/i.test(tag));
    const scripts = [...new Set(tags.map((tag) => tag.match(/src="([^"]+\.js)"/)?.[1]).filter((s): s is string => !!s))];
    let bytes = 0;
    for (const src of scripts) bytes += gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
    console.log(`first-load scripts: ${scripts.length}`);
    return bytes / 1024;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

if (needsBuild()) buildApp();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-bench-"));
const db = openDatabase(dataDir);
const auth = createAuthService(db);
const { sessionToken } = await auth.pair((await auth.createPairingToken()).token, { deviceName: "bench", userAgent: "bench" });
await db.$disconnect();
const cookie = `maestro_session=${sessionToken}`;

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const ms = await coldStart(dataDir, cookie);
  times.push(ms);
  console.log(`cold start ${i + 1}: ${ms.toFixed(0)} ms`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const kb = await firstLoadJsKb(dataDir, cookie);
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`startup: ${median.toFixed(0)} ms, first-load-js: ${kb.toFixed(1)} kB`);
