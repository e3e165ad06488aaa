import { spawnSync } from "node:child_process";
import fs from "node:fs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/**
 * Finds a Chromium for Playwright: $CHROME_PATH, then the system's, then installs Debian's
 * `chromium` when this machine can (root + apt-get). Returns null with a reason otherwise.
 */
export function findChromium({ install = true, log = console.log } = {}) {
  if (process.env.CHROME_PATH) {
    if (fs.existsSync(process.env.CHROME_PATH)) return { path: process.env.CHROME_PATH };
    return { path: null, reason: `CHROME_PATH=${process.env.CHROME_PATH} does not exist` };
  }
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (found) return { path: found };
  const canApt = process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (install && canApt) {
    log("e2e: no Chromium found; installing Debian's chromium (apt-get install -y chromium)…");
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const r = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit" });
    if (r.status === 0 && fs.existsSync("/usr/bin/chromium")) return { path: "/usr/bin/chromium" };
  }
  return {
    path: null,
    reason:
      "no Chromium found: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH to a Chrome/Chromium binary",
  };
}
