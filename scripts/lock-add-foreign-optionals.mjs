#!/usr/bin/env node
/**
 * The npm registry reachable from our machines does not serve other platforms' native builds
 * (e.g. @next/swc-darwin-arm64), so `npm install` leaves them out of package-lock.json and
 * `npm ci` then refuses the lock ("Missing: … from lock file"). This adds a lock entry for each
 * such optional dependency, marked optional with its os/cpu, so npm ci skips it on this platform
 * as it would with a complete lock. Run after any `npm install` that rewrites the lock.
 */
import fs from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pkgs = lock.packages;
const OS = { darwin: "darwin", linux: "linux", win32: "win32", android: "android", freebsd: "freebsd" };
let added = 0;
for (const [where, meta] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pkgs[key] || pkgs[`${where}/node_modules/${name}`]) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OS[p]);
    const cpu = parts.find((p) => ["arm64", "x64", "arm", "ia32", "wasm32"].includes(p));
    pkgs[key] = {
      version: range.replace(/^[\^~=]/, ""),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu === "wasm32" ? "wasm32" : cpu] } : {}),
    };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} foreign optional entries to package-lock.json`);
