#!/usr/bin/env node
/**
 * Installs the pinned agent CLIs the conformance suites run (conformance/tools.json) into a tool
 * cache outside the app's dependencies: `$MAESTRO_TOOL_CACHE` or
 * `~/.cache/maestro-conformance`, one `npm install --prefix <cache>/<pkg>@<version>` per CLI.
 * A CLI whose marker file exists (written only after a successful install whose binary is
 * really there) is reused, so CI on the same machine installs once. A lock directory per CLI
 * keeps two concurrent runs from installing into the same prefix at once.
 *
 *   node conformance/install-tools.mjs [claude|codex|opencode|gemini]…
 *
 * Prints one line per CLI: installed / cached / FAILED (with npm's last error line). Exits 1 if
 * any install failed (the suites of the missing CLIs then print a loud SKIPPED line).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const TOOLS = JSON.parse(fs.readFileSync(path.join(here, "tools.json"), "utf8"));
export const MARKER = ".maestro-conformance-installed";
const LOCK_STALE_MS = 20 * 60_000;

export function cacheRoot() {
  return process.env.MAESTRO_TOOL_CACHE || path.join(os.homedir(), ".cache", "maestro-conformance");
}
export function toolDir(id) {
  const t = TOOLS[id];
  return path.join(cacheRoot(), `${t.pkg}@${t.version}`);
}
export function binPath(id) {
  return path.join(toolDir(id), "node_modules", ".bin", TOOLS[id].bin);
}
function installed(id) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(toolDir(id), MARKER), "utf8"));
    return m.version === TOOLS[id].version && fs.existsSync(binPath(id));
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** mkdir is atomic: the one that creates the lock installs; the others wait for its marker. */
async function withLock(id, fn) {
  const lock = `${toolDir(id)}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "owner"), `${process.pid}\n${os.hostname()}\n`);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      if (installed(id)) return { id, status: "cached", detail: binPath(id) };
      let stale = false;
      try {
        const st = fs.statSync(lock);
        const [pid, host] = fs.readFileSync(path.join(lock, "owner"), "utf8").split("\n");
        stale = Date.now() - st.mtimeMs > LOCK_STALE_MS || (host === os.hostname() && !pidAlive(Number(pid)));
      } catch {
        stale = (() => {
          try {
            return Date.now() - fs.statSync(lock).mtimeMs > 10_000; // a lock with no owner file for long: a crash
          } catch {
            return false;
          }
        })();
      }
      if (stale) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function npmInstall(id) {
  const t = TOOLS[id];
  const dir = toolDir(id);
  return new Promise((resolve) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const args = [
      "install",
      "--prefix",
      dir,
      "--no-audit",
      "--no-fund",
      "--no-save",
      "--loglevel=error",
      "--no-update-notifier",
      `${t.pkg}@${t.version}`,
    ];
    let out = "";
    const child = spawn(npm, args, {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    child.stdout.on("data", (d) => (out = (out + d).slice(-16_384)));
    child.stderr.on("data", (d) => (out = (out + d).slice(-16_384)));
    child.on("error", (err) => resolve({ ok: false, log: err.message }));
    child.on("close", (code) => resolve({ ok: code === 0, log: out || `npm exited ${code}` }));
  });
}

/**
 * npm's last meaningful error line: its literal last line is only "A complete log of this run
 * can be found in …", so stack frames, object dumps and boilerplate hints are skipped.
 */
export function npmErrorLine(log) {
  const lines = log.split(/\r?\n/);
  const errors = lines.filter((l) => /^npm (error|ERR!)/.test(l)).map((l) => l.replace(/^npm (error|ERR!) ?/, ""));
  const meaningful = (errors.length ? errors : lines).filter(
    (l) =>
      l.trim() &&
      !/^\s/.test(l) &&
      !/^[{}]/.test(l) &&
      !/^(\w+ )?(A complete log of this run|If you are behind a proxy|In most cases you or one of your dependencies|Log files were not written)/.test(
        l,
      ),
  );
  const code = errors.map((l) => /^code (\S+)/.exec(l)?.[1]).find(Boolean);
  const last = meaningful.at(-1)?.trim() ?? "npm failed with no output";
  return code && !last.includes(code) ? `${code}: ${last}` : last;
}

export async function installTool(id) {
  const t = TOOLS[id];
  if (!t) return { id, status: "FAILED", detail: `unknown CLI ${id} (known: ${Object.keys(TOOLS).join(", ")})` };
  if (installed(id)) return { id, status: "cached", detail: binPath(id) };
  const started = Date.now();
  try {
    return await withLock(id, async () => {
      if (installed(id)) return { id, status: "cached", detail: binPath(id) };
      const dir = toolDir(id);
      // A half-finished earlier install (no marker): start clean.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const r = await npmInstall(id);
      if (!r.ok) {
        fs.rmSync(dir, { recursive: true, force: true });
        return { id, status: "FAILED", detail: npmErrorLine(r.log) };
      }
      if (!fs.existsSync(binPath(id))) return { id, status: "FAILED", detail: `npm finished but ${binPath(id)} is missing` };
      fs.writeFileSync(
        path.join(dir, MARKER),
        `${JSON.stringify({ pkg: t.pkg, version: t.version, bin: t.bin, installedAt: new Date().toISOString() })}\n`,
      );
      return { id, status: "installed", detail: `${binPath(id)} (${((Date.now() - started) / 1000).toFixed(1)} s)` };
    });
  } catch (err) {
    return { id, status: "FAILED", detail: err?.message ?? String(err) };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(TOOLS);
  console.log(`conformance tools: cache ${cacheRoot()}`);
  const results = await Promise.all(
    wanted.map(async (id) => {
      const r = await installTool(id);
      const t = TOOLS[id];
      const name = t ? `${t.pkg}@${t.version}` : id;
      console.log(
        `${r.status === "FAILED" ? "FAILED   " : r.status === "cached" ? "cached   " : "installed"} ${id.padEnd(8)} ${name}: ${r.detail}`,
      );
      return r;
    }),
  );
  process.exit(results.some((r) => r.status === "FAILED") ? 1 : 0);
}
