import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { isInside } from "./worktree-repo";

/** What the UI shows of a worktree's setup script. `output` keeps the last SETUP_OUTPUT_MAX characters. */
export interface SetupState {
  agentId: string;
  script: string;
  status: "running" | "ok" | "failed";
  output: string;
  exitCode: number | null;
  error: string | null;
}

export const SETUP_OUTPUT_MAX = 64 * 1024;
const SETUP_TIMEOUT_MS = 10 * 60_000;

export interface SetupJob {
  agentId: string;
  /** The setup script setting: a path relative to the main repository. */
  script: string;
  mainRepo: string;
  worktree: string;
  branch: string;
  base: string;
}

/** The script file, resolved (links too) and confined to the main repository. */
export async function resolveSetupScript(mainRepo: string, script: string): Promise<string> {
  const root = await fs.realpath(mainRepo);
  const file = await fs.realpath(path.resolve(root, script)).catch(() => null);
  if (!file) throw new AppError("BAD_INPUT", `The setup script ${script} does not exist in ${root}.`);
  if (!isInside(root, file)) throw new AppError("BAD_INPUT", `The setup script ${script} must be inside ${root}.`);
  if (!(await fs.stat(file)).isFile()) throw new AppError("BAD_INPUT", `The setup script ${script} is not a file.`);
  return file;
}

/**
 * Runs setup scripts: `/bin/sh <file>` (argv, no shell string) in the new worktree with the
 * desktop app's MAESTRO_* variables. Output is streamed over the bus and the tail kept, so a
 * dialog opened late still shows it; a failure is reported, the agent stays.
 */
export function createSetupRunner(bus: Bus) {
  const states = new Map<string, SetupState>();
  const done = new Map<string, Promise<SetupState>>();

  function publish(s: SetupState, chunk: string | null) {
    bus.publish("worktrees.setup", { agentId: s.agentId, status: s.status, chunk, exitCode: s.exitCode, error: s.error });
  }

  async function run(job: SetupJob, s: SetupState): Promise<SetupState> {
    const finish = (status: "ok" | "failed", exitCode: number | null, error: string | null) => {
      Object.assign(s, { status, exitCode, error });
      publish(s, null);
      return s;
    };
    let file: string;
    try {
      file = await resolveSetupScript(job.mainRepo, job.script);
    } catch (err) {
      return finish("failed", null, (err as Error).message);
    }
    return new Promise<SetupState>((resolve) => {
      const child = spawn("/bin/sh", [file], {
        cwd: job.worktree,
        stdio: ["ignore", "pipe", "pipe"],
        timeout: SETUP_TIMEOUT_MS,
        env: {
          ...process.env,
          MAESTRO_WORKTREE_PATH: job.worktree,
          MAESTRO_WORKTREE_BRANCH: job.branch,
          MAESTRO_MAIN_REPO_PATH: job.mainRepo,
          MAESTRO_BASE_BRANCH: job.base,
        },
      });
      const onData = (buf: Buffer) => {
        const chunk = buf.toString("utf8");
        s.output = (s.output + chunk).slice(-SETUP_OUTPUT_MAX);
        publish(s, chunk);
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("error", (err) => resolve(finish("failed", null, `The setup script could not start: ${err.message}`)));
      child.on("close", (code, signal) => {
        if (code === 0) return resolve(finish("ok", 0, null));
        const why = signal ? `was stopped (${signal})` : `failed with exit status ${code}`;
        resolve(finish("failed", code, `The setup script ${job.script} ${why}.`));
      });
    });
  }

  return {
    start(job: SetupJob): Promise<SetupState> {
      const s: SetupState = { agentId: job.agentId, script: job.script, status: "running", output: "", exitCode: null, error: null };
      states.set(job.agentId, s);
      publish(s, null);
      const p = run(job, s);
      done.set(job.agentId, p);
      return p;
    },
    state: (agentId: string): SetupState | null => states.get(agentId) ?? null,
    /** Resolves when the agent's setup has ended (null when none ran). */
    finished: (agentId: string): Promise<SetupState | null> => done.get(agentId) ?? Promise.resolve(null),
  };
}
