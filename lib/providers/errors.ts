/**
 * Provider errors in plain words: classifying a CLI's error text into an ErrorKind, the
 * message a user reads, and the typed error thrown when a CLI can't do what a turn asks.
 */
import { PROVIDERS, type ProviderId } from "./catalog";
import type { AgentEvent, ErrorKind } from "./events";
import { parseResetsAt, type ResetClock } from "./reset-time";

/** What an adapter can refuse, with the hint a user needs. */
export const CAPABILITY_ERRORS = {
  images_unsupported: "Attach the image to a provider that takes images (Claude Code, Codex or OpenCode), or describe it in words.",
  image_type_unsupported: "Use a PNG, JPEG, GIF or WebP image.",
  image_path_invalid: "Images are passed as absolute file paths without commas.",
} as const;
export type CapabilityErrorCode = keyof typeof CAPABILITY_ERRORS;

/** Thrown by buildInvocation when the CLI can't take what the turn asks for. */
export class ProviderCapabilityError extends Error {
  readonly code: CapabilityErrorCode;
  readonly provider: ProviderId;
  readonly hint: string;
  constructor(provider: ProviderId, code: CapabilityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderCapabilityError";
    this.provider = provider;
    this.code = code;
    this.hint = CAPABILITY_ERRORS[code];
  }
}

const LOGIN: Record<ProviderId, string> = {
  simulator: "",
  claude: "Run `claude` once in a terminal to log in (or set ANTHROPIC_API_KEY).",
  codex: "Run `codex login` (or set OPENAI_API_KEY).",
  opencode: "Run `opencode auth login`.",
  gemini: "Run `gemini` once in a terminal to sign in (or set GEMINI_API_KEY).",
};

export const labelOf = (p: ProviderId): string => PROVIDERS[p]?.label ?? p;

const CONTEXT_RE =
  /prompt is too long|context[ _](?:length|window)|maximum context|context_length_exceeded|too many tokens|input is too long|exceeds? (?:the )?(?:model'?s? )?(?:maximum )?context|out of room in the model's context/i;
const RATE_RE =
  /rate[ _-]?limit|usage limit|hit your limit|limit reached|quota|too many requests|\b429\b|exhausted your capacity|resource[_ ]exhausted/i;
const AUTH_RE =
  /invalid (?:api|x-api)[ -]key|api key (?:not valid|is invalid|is missing)|authenticat|unauthori[sz]ed|\b401\b|not logged in|please run \/login|log ?in again|auth method|credentials|missing bearer|token (?:has )?expired/i;
const PERMISSION_RE = /cannot be used with root\/sudo|permission denied/i;

/** The kind of a CLI's error text; "provider" when nothing more specific fits. */
export function classifyErrorText(text: string): ErrorKind {
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  if (CONTEXT_RE.test(t)) return "context_full";
  if (RATE_RE.test(t)) return "rate_limit";
  if (AUTH_RE.test(t)) return "auth";
  if (PERMISSION_RE.test(t)) return "permission";
  return "provider";
}

/** Strip ANSI colours, squeeze whitespace, keep it short. */
export function tidy(text: string, max = 600): string {
  const s = text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The sentence a user reads for an error of a kind. */
export function plainMessage(provider: ProviderId, kind: ErrorKind, detail: string): string {
  const label = labelOf(provider);
  const d = tidy(detail) || "no details";
  switch (kind) {
    case "auth":
      return `${label} is not logged in or its API key was rejected: ${d}. ${LOGIN[provider] ?? ""}`.trim();
    case "rate_limit":
      return `${label} hit a usage or rate limit: ${d}`;
    case "context_full":
      return `The conversation no longer fits in ${label}'s context window: ${d}. Start a new session.`;
    case "permission":
    case "crash":
    case "timeout":
    case "not_installed":
    case "malformed":
      return d;
    default:
      return `${label} reported an error: ${d}`;
  }
}

export interface ErrorEventInput {
  provider: ProviderId;
  text: string;
  fatal: boolean;
  /** Known kind (from a structured field); classified from the text otherwise. */
  kind?: ErrorKind;
  /** Known reset time; parsed from the text for rate limits otherwise. */
  resetsAt?: string;
  clock: ResetClock;
}

/** An `error` event with a classified kind, a plain message and, for rate limits, resetsAt. */
export function errorEvent(e: ErrorEventInput): AgentEvent {
  const kind = e.kind ?? classifyErrorText(e.text);
  const resetsAt = kind === "rate_limit" ? (e.resetsAt ?? parseResetsAt(e.text, e.clock)) : undefined;
  return { type: "error", message: plainMessage(e.provider, kind, e.text), kind, fatal: e.fatal, ...(resetsAt ? { resetsAt } : {}) };
}
