/**
 * The contract between Maestro's turn runner and a provider adapter: what a turn asks for
 * (TurnSpec), how the CLI is started (Invocation) and how its output is read (ParserOptions).
 * Pure types.
 */
import type { ProviderId } from "./catalog";
import type { LineParser } from "./events";
import type { PermissionMode } from "../schemas/approvals";
import type { ApprovalReply } from "../../server/services/approvals/gate";

/** The JSONL dialects Maestro understands; the simulator speaks any of them. */
export const DIALECT_IDS = ["claude", "codex", "opencode", "gemini"] as const;
export type DialectId = (typeof DIALECT_IDS)[number];

/** How the simulator is started: `node <simBin> --dialect D …that dialect's argv…`. */
export interface SimulatorOptions {
  /** default "claude" */
  dialect?: DialectId;
  /** the node binary (the runner passes process.execPath); default "node" */
  nodePath?: string;
  /** bin/maestro-sim.mjs; default TurnSpec.binary */
  simBin?: string;
}

export interface TurnSpec {
  prompt: string;
  cwd: string;
  /** The resolved command path of the CLI. */
  binary: string;
  /** The provider's own session id, to continue that conversation. */
  resumeSessionId?: string | null;
  model?: string | null;
  /** Plan mode: the agent may read and plan, never write. */
  readOnly?: boolean;
  /** Let it write files and run commands without asking (default true: batch runs cannot ask). */
  autoApprove?: boolean;
  /**
   * Ask / Accept edits / Plan / Bypass; it decides (readOnly still forces plan). The bridge always
   * sets it (turnSpecFor: the tab's, else the agent's, else plan for a read-only agent and bypass
   * for one with no stored mode). Only a spec built by hand (adapter tests) leaves it unset: then
   * the older readOnly / autoApprove pair decides. Only CLIs that can ask headless (claude) ask;
   * the others read "plan" as read-only and the rest as before.
   */
  permissionMode?: PermissionMode;
  /** "Always allow" rules (`Bash(npm test:*)`) for CLIs that take them (claude `--allowedTools`). */
  allowRules?: string[];
  /**
   * The user declared this machine a sandbox (agent settings, never implied). claude: as root,
   * set IS_SANDBOX=1 so --dangerously-skip-permissions is accepted; codex: skip codex's own
   * sandbox (--dangerously-bypass-approvals-and-sandbox) instead of workspace-write.
   */
  isSandbox?: boolean;
  /** The CLI will run as uid 0 (claude refuses skip-permissions as root). */
  isRoot?: boolean;
  appendSystemPrompt?: string | null;
  /** Absolute paths of images to send with the prompt. */
  images?: string[];
  /** Extra CLI arguments from agent settings, placed among the options (before the prompt). */
  extraArgs?: string[];
  /** Extra environment for the CLI (wins over the adapter's own additions). */
  env?: Record<string, string>;
  /** Only for the simulator provider. */
  simulator?: SimulatorOptions;
}

export interface Invocation {
  command: string;
  /** An argument array for spawn: never joined into a shell string. */
  args: string[];
  /** Additions to the bridge's environment. */
  env: Record<string, string>;
  cwd: string;
  /** null: stdin is closed (/dev/null). A string is written, then stdin is closed. */
  stdin: string | null;
  /**
   * Keep stdin open after writing `stdin`: the CLI asks for approvals on stdout and reads the
   * answers on stdin (claude `--permission-prompt-tool stdio`). The runner closes it at the
   * turn's end (the CLI waits for more input otherwise).
   */
  stdinOpen?: true;
  /**
   * Set when the prompt carries images that must travel on stdin (claude stream-json input).
   * Pure code can't read files, so the runner reads each path and sets
   * `stdin = claudeStreamJsonInput(prompt, [{ mediaType: imageMediaType(path), base64 }])`.
   */
  stdinImages?: { prompt: string; paths: string[] };
}

export interface ParserOptions {
  /**
   * What the CLI reported at the end of the previous turn of the session being resumed. CLIs
   * that report session-cumulative figures on resume (claude cost, codex usage) have it
   * subtracted, so each turn counts only itself.
   */
  sessionBaseline?: import("./events").SessionTotals | null;
  /** The clock for relative reset times ("reset after 59s"). Default: Date.now. */
  now?: () => number | Date;
  /** The zone the CLI prints local clock times in ("resets 3pm"). Default: this process's. */
  timeZone?: string;
  /** The turn's model, for pricing when the CLI reports no cost (codex). */
  model?: string | null;
  /** Which provider the messages name (default: the dialect's own CLI). */
  provider?: ProviderId;
  /** Simulator only: the dialect it speaks (default claude). */
  dialect?: DialectId;
  /** The turn asks a person (Invocation.stdinOpen): denials are answers, not a mode to change. */
  approvals?: boolean;
}

export interface ProviderAdapter {
  id: ProviderId;
  /** The JSONL dialect its output is in (the simulator's default; see ParserOptions.dialect). */
  dialect: DialectId;
  buildInvocation(spec: TurnSpec): Invocation;
  createParser(opts?: ParserOptions): LineParser;
  supportsImages: boolean;
  supportsResume: boolean;
  /**
   * The line to write on the CLI's stdin to answer an approval request (with its newline);
   * absent for CLIs that cannot ask. `dialect` is the simulator's.
   */
  approvalReply?(requestId: string, reply: ApprovalReply, originalInput: unknown, dialect?: DialectId): string | null;
}
