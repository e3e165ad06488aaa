import { spawn } from "node:child_process";
import path from "node:path";
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from "../../../lib/providers/catalog";
import { parseVersion } from "../../../lib/providers/version";
import { VERSION } from "../../version";
import { which } from "./which";

export const SIMULATOR_BIN = path.resolve(import.meta.dirname, "../../../bin/maestro-sim.mjs");

export interface DetectedProvider {
  id: ProviderId;
  label: string;
  installed: boolean;
  /** Absolute path of the binary that would run. */
  path: string | null;
  version: string | null;
  /** Where the path came from. */
  source: "bundled" | "configured" | "PATH" | null;
  install: string;
  /** Plain-language problems a user should know about (not installed, root caveats, …). */
  notes: string[];
}

/**
 * Finds each provider CLI (a configured path wins over PATH) and asks it for its version.
 * Never throws: a broken binary is reported as found with a note.
 */
export async function detectProviders(options: {
  configuredPaths?: Partial<Record<ProviderId, string>>;
  /** The PATH to look CLIs up on. */
  envPath: string;
  isRoot?: boolean;
  timeoutMs?: number;
}): Promise<DetectedProvider[]> {
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  return Promise.all(
    PROVIDER_IDS.map(async (id): Promise<DetectedProvider> => {
      const info = PROVIDERS[id];
      const base = { id, label: info.label, install: info.install, notes: [] as string[] };
      if (id === "simulator") {
        return { ...base, installed: true, path: SIMULATOR_BIN, version: VERSION, source: "bundled" };
      }
      const configured = options.configuredPaths?.[id];
      const found = configured ? await which(configured, options.envPath) : await which(info.command!, options.envPath);
      if (!found) {
        const notes = configured
          ? [`The configured path ${configured} is not an executable file.`]
          : [`${info.command} is not installed: ${info.install}.`];
        return { ...base, installed: false, path: null, version: null, source: null, notes };
      }
      const { output, error } = await runVersion(found, options.timeoutMs ?? 8000);
      const version = parseVersion(output);
      if (!version) base.notes.push(`\`${info.command} --version\` did not answer with a version${error ? ` (${error})` : ""}.`);
      if (id === "claude" && isRoot) {
        base.notes.push(
          "Running as root: claude refuses --dangerously-skip-permissions and bypassPermissions unless IS_SANDBOX=1 is set (an agent setting, off by default). acceptEdits works as root.",
        );
      }
      return { ...base, installed: true, path: found, version, source: configured ? "configured" : "PATH" };
    }),
  );
}

/** Runs `FILE --version` in its own process group, so a timeout kills wrappers and their children. */
function runVersion(file: string, timeoutMs: number): Promise<{ output: string; error: string | null }> {
  return new Promise((resolve) => {
    let output = "";
    let error: string | null = null;
    const child = spawn(file, ["--version"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    const collect = (chunk: Buffer) => {
      if (output.length < 64 * 1024) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      error = "timed out";
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on("error", (err) => (error = err.message));
    child.on("close", (code) => {
      clearTimeout(timer);
      if (!error && code !== 0) error = `exit ${code}`;
      resolve({ output: output.trim(), error });
    });
  });
}
