/**
 * Every provider's adapter in one table, plus the two errors the runner raises itself: a CLI
 * that exited without finishing its turn (classifyExit) and one that isn't installed.
 *
 * Runner contract: feed each stdout line to `parser.parse`, call `parser.end()` once stdout
 * closes, and only then ask classifyExit, with sawDone = whether any `done` event came out.
 */
import { PROVIDERS, type ProviderId } from "./catalog";
import * as claude from "./claude/invocation";
import { createParser as claudeParser } from "./claude/parse";
import * as codex from "./codex/invocation";
import { createParser as codexParser } from "./codex/parse";
import { classifyErrorText, errorEvent, labelOf, tidy } from "./errors";
import type { AgentEvent, LineParser } from "./events";
import * as gemini from "./gemini/invocation";
import { createParser as geminiParser } from "./gemini/parse";
import * as opencode from "./opencode/invocation";
import { createParser as opencodeParser } from "./opencode/parse";
import * as simulator from "./simulator/invocation";
import type { DialectId, ParserOptions, ProviderAdapter } from "./types";

export const parsers: Record<DialectId, (opts?: ParserOptions) => LineParser> = {
  claude: claudeParser,
  codex: codexParser,
  opencode: opencodeParser,
  gemini: geminiParser,
};

export const adapters: Record<ProviderId, ProviderAdapter> = {
  claude: {
    id: "claude",
    dialect: "claude",
    buildInvocation: claude.buildInvocation,
    createParser: claudeParser,
    supportsImages: true,
    supportsResume: true,
    approvalReply: claude.approvalReply,
  },
  codex: {
    id: "codex",
    dialect: "codex",
    buildInvocation: codex.buildInvocation,
    createParser: codexParser,
    supportsImages: true,
    supportsResume: true,
  },
  opencode: {
    id: "opencode",
    dialect: "opencode",
    buildInvocation: opencode.buildInvocation,
    createParser: opencodeParser,
    supportsImages: true,
    supportsResume: true,
  },
  gemini: {
    id: "gemini",
    dialect: "gemini",
    buildInvocation: gemini.buildInvocation,
    createParser: geminiParser,
    supportsImages: false,
    supportsResume: true,
  },
  simulator: {
    id: "simulator",
    // Its default; TurnSpec.simulator.dialect and ParserOptions.dialect pick another.
    dialect: "claude",
    buildInvocation: (spec) => simulator.buildInvocation(spec),
    createParser: (opts = {}) => parsers[opts.dialect ?? "claude"]({ provider: "simulator", ...opts }),
    // As its dialect: the gemini dialect refuses images.
    supportsImages: true,
    supportsResume: true,
    // Its claude dialect speaks claude's control protocol.
    approvalReply: (requestId, reply, input, dialect) =>
      (dialect ?? "claude") === "claude" ? claude.approvalReply(requestId, reply, input) : null,
  },
};

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  /** The last few KiB of stderr. */
  stderrTail: string;
  /** Whether the parser produced a `done` event. */
  sawDone: boolean;
  dialect: DialectId;
  /** Names the CLI in the message (default: the dialect's CLI). */
  provider?: ProviderId;
  /** For rate-limit reset times printed on stderr. */
  now?: Date;
  timeZone?: string;
}

const ROOT_REFUSAL = /cannot be used with root\/sudo privileges/i;

/**
 * A fatal error for a CLI that ended without reporting the end of its turn, or null when it
 * did (a failed turn already carries its own error). Known stderr texts (not logged in, rate
 * limit, claude's root refusal) get their kind; anything else is a crash with the last line.
 */
export function classifyExit(x: ExitInfo): AgentEvent | null {
  if (x.sawDone) return null;
  const provider = x.provider ?? x.dialect;
  const label = labelOf(provider);

  const lines = x.stderrTail
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1];
  const all = lines.join("\n");
  if (ROOT_REFUSAL.test(all))
    return {
      type: "error",
      kind: "permission",
      fatal: true,
      message: `${label} refuses to skip permission checks when run as root (${tidy(last ?? "")}). Either mark this machine as a sandbox in the agent settings (sets IS_SANDBOX=1), or run Maestro as a normal user; without either, Maestro runs it with --permission-mode acceptEdits, which edits files but can't run shell commands.`,
    };
  if (x.signal)
    return {
      type: "error",
      kind: "crash",
      fatal: true,
      message: `${label} was stopped by ${x.signal} before it finished the turn${last ? `: ${tidy(last)}` : "."}`,
    };
  const kind = classifyErrorText(all);
  const code = x.exitCode;
  // gemini exits 41 for FatalAuthenticationError, whatever it printed.
  if (kind === "auth" || kind === "rate_limit" || kind === "context_full" || (x.dialect === "gemini" && code === 41))
    return errorEvent({
      provider,
      text: all || `exit ${code}`,
      kind: kind === "provider" || kind === "permission" ? "auth" : kind,
      fatal: true,
      clock: { now: x.now ?? new Date(), timeZone: x.timeZone },
    });
  if (code === 0)
    return {
      type: "error",
      kind: "crash",
      fatal: true,
      message: `${label} exited without finishing the turn (no result was reported)${last ? `: ${tidy(last)}` : "."}`,
    };
  return {
    type: "error",
    kind: "crash",
    fatal: true,
    message: `${label} crashed (exit ${code ?? "unknown"})${last ? `: ${tidy(last)}` : "."}`,
  };
}

/** The error for a CLI that can't be spawned (ENOENT), with how to install it. */
export function notInstalledError(provider: ProviderId): AgentEvent {
  const info = PROVIDERS[provider];
  const what = info.command
    ? `${info.label} is not installed (no \`${info.command}\` command on PATH).`
    : `${info.label} could not be started.`;
  return { type: "error", kind: "not_installed", fatal: true, message: `${what} Install it: ${info.install}` };
}
