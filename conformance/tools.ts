/**
 * Where the conformance suites find the real agent CLIs: the tool cache filled by
 * conformance/install-tools.mjs ($MAESTRO_TOOL_CACHE or ~/.cache/maestro-conformance), pinned
 * to the versions in conformance/tools.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pinned from "./tools.json";

export type CliId = keyof typeof pinned;
export const CLI_IDS = Object.keys(pinned) as CliId[];
export const TOOLS: Record<CliId, { pkg: string; version: string; bin: string }> = pinned;

/** Written by install-tools.mjs only after a successful install. */
export const MARKER = ".maestro-conformance-installed";
const INSTALLER = path.join(import.meta.dirname, "install-tools.mjs");

export function toolCacheRoot(): string {
  return process.env.MAESTRO_TOOL_CACHE || path.join(os.homedir(), ".cache", "maestro-conformance");
}

export function toolDir(id: CliId): string {
  const t = TOOLS[id];
  return path.join(toolCacheRoot(), `${t.pkg}@${t.version}`);
}

export type ToolLookup = { ok: true; id: CliId; path: string; version: string; pkg: string } | { ok: false; id: CliId; reason: string };

/** The installed binary of a pinned CLI, or why there is none. Never installs. */
export function toolBinary(id: CliId): ToolLookup {
  const t = TOOLS[id];
  const dir = toolDir(id);
  const bin = path.join(dir, "node_modules", ".bin", t.bin);
  let marker: { version?: string } | null = null;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), "utf8"));
  } catch {
    /* not installed */
  }
  if (!marker)
    return { ok: false, id, reason: `${t.pkg}@${t.version} is not installed in ${dir} (run: node conformance/install-tools.mjs ${id})` };
  if (marker.version !== t.version)
    return { ok: false, id, reason: `${dir} holds ${t.pkg}@${marker.version}, not the pinned ${t.version}` };
  if (!fs.existsSync(bin)) return { ok: false, id, reason: `${bin} is missing although ${dir} is marked installed` };
  return { ok: true, id, path: bin, version: t.version, pkg: t.pkg };
}

/**
 * The binary, installing the CLI into the tool cache first when it is missing (unless
 * MAESTRO_CONFORMANCE_NO_INSTALL=1). A failed install comes back as `ok: false` with npm's last
 * error line as the reason.
 */
export function ensureTool(id: CliId): ToolLookup {
  const found = toolBinary(id);
  if (found.ok || process.env.MAESTRO_CONFORMANCE_NO_INSTALL === "1") return found;
  const r = spawnSync(process.execPath, [INSTALLER, id], { encoding: "utf8", timeout: 10 * 60_000 });
  const after = toolBinary(id);
  if (after.ok) return after;
  const line = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").find((l) => l.startsWith("FAILED"));
  return {
    ok: false,
    id,
    reason: line ? `install failed: ${line.replace(/^FAILED\s+/, "")}` : `${after.reason}${r.error ? ` (${r.error.message})` : ""}`,
  };
}
