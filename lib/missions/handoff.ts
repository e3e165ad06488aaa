import { normalizeUkiToken } from "./uki-token";

/**
 * A handoff between agent sessions: the reference CLI's structured content (ReinaMacCredy/
 * maestro v0.40.6, src/features/handoff/domain/uki-types.ts and validators.ts), field for field
 * and in its order. Ours is one flat shape for both modes: the execute-only lists (touchedFiles,
 * completedWork, validation) and the plan-only ones (planPaths, maestroSync) are always arrays;
 * `referenceContent` writes the reference's per-mode object. Pure.
 */

export type HandoffMode = "plan" | "execute";

export interface HandoffRefs {
  missionId?: string;
  featureId?: string;
  milestoneId?: string;
  planPath?: string;
  specPath?: string;
}

export interface Handoff {
  mode: HandoffMode;
  currentState: string;
  sessionCore: string;
  decisions: string[];
  artifacts: string[];
  readMore: string[];
  nextAction: string;
  summary: string;
  maestroRefs: HandoffRefs;
  /** Confidence: at least one of work / summary. */
  cs: { work?: number; summary?: number };
  signalDelta: string[];
  boundaryState: string[];
  risks: string[];
  blindSpot?: string;
  metaphor?: string;
  causalDrivers: string[];
  divergences: string[];
  assumptions?: string[];
  scopeDeclaration?: Record<string, string>;
  complexityDelta?: Record<string, unknown>;
  verificationResults?: { step: string; passed: boolean }[];
  touchedFiles: string[];
  completedWork: string[];
  validation: string[];
  planPaths: string[];
  maestroSync: string[];
}

/** The fields in the reference's order (its content schema's key order). */
export const HANDOFF_FIELDS = [
  "mode",
  "currentState",
  "sessionCore",
  "decisions",
  "artifacts",
  "readMore",
  "nextAction",
  "summary",
  "maestroRefs",
  "cs",
  "signalDelta",
  "boundaryState",
  "risks",
  "blindSpot",
  "metaphor",
  "causalDrivers",
  "divergences",
  "assumptions",
  "scopeDeclaration",
  "complexityDelta",
  "verificationResults",
  "touchedFiles",
  "completedWork",
  "validation",
  "planPaths",
  "maestroSync",
] as const satisfies readonly (keyof Handoff)[];

export type HandoffField = (typeof HANDOFF_FIELDS)[number];

const TEXT_FIELDS = ["currentState", "sessionCore", "nextAction", "summary"] as const;
const OPTIONAL_TEXT = ["blindSpot", "metaphor"] as const;
export const HANDOFF_LIST_FIELDS = [
  "decisions",
  "artifacts",
  "readMore",
  "signalDelta",
  "boundaryState",
  "risks",
  "causalDrivers",
  "divergences",
  "touchedFiles",
  "completedWork",
  "validation",
  "planPaths",
  "maestroSync",
] as const;

/** Labels a person reads, and the reference's `handoff create` flag of each field. */
export const HANDOFF_FIELD_INFO: Record<HandoffField, { label: string; flag: string | null }> = {
  mode: { label: "Mode", flag: "--mode" },
  currentState: { label: "Current state", flag: "--current-state" },
  sessionCore: { label: "Session core", flag: "--session-core" },
  decisions: { label: "Decisions", flag: "--decision" },
  artifacts: { label: "Artifacts", flag: "--artifact" },
  readMore: { label: "Read more", flag: "--read-more" },
  nextAction: { label: "Next action", flag: "--next-action" },
  summary: { label: "Summary", flag: "--summary" },
  maestroRefs: { label: "Maestro refs", flag: null },
  cs: { label: "Confidence", flag: "--confidence-work" },
  signalDelta: { label: "Signal delta", flag: "--signal" },
  boundaryState: { label: "Boundary state", flag: "--boundary" },
  risks: { label: "Risks", flag: "--risk" },
  blindSpot: { label: "Blind spot", flag: "--blind-spot" },
  metaphor: { label: "Metaphor", flag: "--metaphor" },
  causalDrivers: { label: "Causal drivers", flag: "--driver" },
  divergences: { label: "Divergences", flag: "--divergence" },
  assumptions: { label: "Assumptions", flag: "--assumption" },
  scopeDeclaration: { label: "Scope declaration", flag: "--scope-declaration" },
  complexityDelta: { label: "Complexity delta", flag: "--complexity-delta" },
  verificationResults: { label: "Verification results", flag: "--verification-result" },
  touchedFiles: { label: "Touched files", flag: "--touched-file" },
  completedWork: { label: "Completed work", flag: "--completed" },
  validation: { label: "Validation", flag: "--validation" },
  planPaths: { label: "Plan paths", flag: "--plan-path-item" },
  maestroSync: { label: "Maestro sync", flag: "--maestro-sync" },
};

export type HandoffResult = { ok: true; handoff: Handoff } | { ok: false; errors: string[] };

const MAX_TEXT = 4000;
const MAX_LIST = 100;

/**
 * Checks and completes a handoff's fields (ours or the reference's content object). Required as
 * in the reference: sessionCore, summary, nextAction and a confidence; mode defaults to execute,
 * currentState to `plan_ready` / `execute_in_progress`. A list may be given as one string. Empty
 * artifacts (which the reference's UKI refuses) become the touched files or the refs as anchors,
 * empty readMore the first five artifacts.
 */
export function normalizeHandoff(fields: unknown): HandoffResult {
  if (!fields || typeof fields !== "object" || Array.isArray(fields)) return { ok: false, errors: ["A handoff is an object of fields."] };
  const f = fields as Record<string, unknown>;
  const errors: string[] = [];
  const known = new Set<string>(HANDOFF_FIELDS);
  for (const key of Object.keys(f)) if (!known.has(key) && f[key] !== undefined) errors.push(`Unknown handoff field "${key}".`);

  const mode = f.mode ?? "execute";
  if (mode !== "plan" && mode !== "execute") errors.push(`mode: must be plan or execute (got ${JSON.stringify(mode)}).`);
  const textOf = (key: string, required: boolean): string | undefined => {
    const v = f[key];
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
      if (required) errors.push(`${key}: is required.`);
      return undefined;
    }
    if (typeof v !== "string") {
      errors.push(`${key}: must be text.`);
      return undefined;
    }
    if (v.length > MAX_TEXT) errors.push(`${key}: at most ${MAX_TEXT} characters.`);
    return v.trim();
  };
  const listOf = (key: string): string[] => {
    const v = f[key];
    if (v === undefined || v === null) return [];
    const items = typeof v === "string" ? [v] : Array.isArray(v) ? v : null;
    if (!items || items.some((x) => typeof x !== "string")) {
      errors.push(`${key}: must be a list of text.`);
      return [];
    }
    if (items.length > MAX_LIST) errors.push(`${key}: at most ${MAX_LIST} items.`);
    return (items as string[]).map((x) => x.trim()).filter((x) => x !== "" && x !== "NONE");
  };

  const m: HandoffMode = mode === "plan" ? "plan" : "execute";
  const text = Object.fromEntries(TEXT_FIELDS.map((k) => [k, textOf(k, k !== "currentState")])) as Record<
    (typeof TEXT_FIELDS)[number],
    string | undefined
  >;
  const lists = Object.fromEntries(HANDOFF_LIST_FIELDS.map((k) => [k, listOf(k)])) as Record<
    (typeof HANDOFF_LIST_FIELDS)[number],
    string[]
  >;
  const optional = Object.fromEntries(OPTIONAL_TEXT.map((k) => [k, textOf(k, false)])) as Record<
    (typeof OPTIONAL_TEXT)[number],
    string | undefined
  >;
  const refs = refsOf(f.maestroRefs, errors);
  const cs = csOf(f.cs, errors);

  const h: Handoff = {
    mode: m,
    currentState: text.currentState ?? (m === "plan" ? "plan_ready" : "execute_in_progress"),
    sessionCore: text.sessionCore ?? "",
    decisions: lists.decisions,
    artifacts: lists.artifacts,
    readMore: lists.readMore,
    nextAction: text.nextAction ?? "",
    summary: text.summary ?? "",
    maestroRefs: refs,
    cs,
    signalDelta: lists.signalDelta,
    boundaryState: lists.boundaryState,
    risks: lists.risks,
    ...(optional.blindSpot ? { blindSpot: optional.blindSpot } : {}),
    ...(optional.metaphor ? { metaphor: optional.metaphor } : {}),
    causalDrivers: lists.causalDrivers,
    divergences: lists.divergences,
    touchedFiles: lists.touchedFiles,
    completedWork: lists.completedWork,
    validation: lists.validation,
    planPaths: lists.planPaths,
    maestroSync: lists.maestroSync,
  };
  if (f.assumptions !== undefined && f.assumptions !== null) h.assumptions = listOf("assumptions");
  if (f.scopeDeclaration !== undefined && f.scopeDeclaration !== null) {
    const s = f.scopeDeclaration;
    if (typeof s !== "object" || Array.isArray(s) || Object.values(s).some((v) => typeof v !== "string"))
      errors.push("scopeDeclaration: must be an object of text values.");
    else h.scopeDeclaration = { ...(s as Record<string, string>) };
  }
  if (f.complexityDelta !== undefined && f.complexityDelta !== null) {
    const c = f.complexityDelta;
    if (typeof c !== "object" || Array.isArray(c)) errors.push("complexityDelta: must be an object.");
    else h.complexityDelta = { ...(c as Record<string, unknown>) };
  }
  if (f.verificationResults !== undefined && f.verificationResults !== null) {
    const v = f.verificationResults;
    if (
      !Array.isArray(v) ||
      v.some(
        (r) =>
          !r ||
          typeof r !== "object" ||
          typeof (r as { step?: unknown }).step !== "string" ||
          typeof (r as { passed?: unknown }).passed !== "boolean",
      )
    )
      errors.push("verificationResults: must be a list of { step, passed }.");
    else h.verificationResults = (v as { step: string; passed: boolean }[]).map((r) => ({ step: r.step, passed: r.passed }));
  }
  if (errors.length > 0) return { ok: false, errors };
  if (h.artifacts.length === 0) h.artifacts = defaultAnchors(h);
  if (h.readMore.length === 0) h.readMore = h.artifacts.slice(0, 5);
  return { ok: true, handoff: h };
}

function refsOf(v: unknown, errors: string[]): HandoffRefs {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    errors.push("maestroRefs: must be an object.");
    return {};
  }
  const out: HandoffRefs = {};
  for (const [key, value] of Object.entries(v)) {
    if (!["missionId", "featureId", "milestoneId", "planPath", "specPath"].includes(key)) {
      errors.push(`maestroRefs: unknown field "${key}".`);
      continue;
    }
    if (value === undefined || value === null || value === "") continue;
    if (typeof value !== "string") errors.push(`maestroRefs.${key}: must be text.`);
    else out[key as keyof HandoffRefs] = value;
  }
  return out;
}

function csOf(v: unknown, errors: string[]): Handoff["cs"] {
  if (typeof v === "number") v = { work: v };
  if (!v || typeof v !== "object" || Array.isArray(v)) {
    errors.push("cs: give a confidence (work and/or summary, e.g. 0.9).");
    return {};
  }
  const out: Handoff["cs"] = {};
  for (const key of ["work", "summary"] as const) {
    const n = (v as Record<string, unknown>)[key];
    if (n === undefined || n === null) continue;
    const num = typeof n === "string" ? Number(n) : n;
    if (typeof num !== "number" || !Number.isFinite(num) || num < 0) errors.push(`cs.${key}: must be a number, 0 or more.`);
    else out[key] = num;
  }
  if (out.work === undefined && out.summary === undefined && !errors.some((e) => e.startsWith("cs")))
    errors.push("cs: give a confidence (work and/or summary, e.g. 0.9).");
  return out;
}

function defaultAnchors(h: Handoff): string[] {
  if (h.touchedFiles.length > 0) return h.touchedFiles.slice(0, 10);
  const refs = h.maestroRefs;
  const out = [
    refs.missionId ? `mission_${normalizeUkiToken(refs.missionId)}` : "",
    refs.featureId ? `feature_${normalizeUkiToken(refs.featureId)}` : "",
  ].filter(Boolean);
  return out.length > 0 ? out : [`session_${normalizeUkiToken(h.sessionCore)}`];
}

/** The reference's per-mode content object (its key order; plan or execute lists only). */
export function referenceContent(h: Handoff): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of HANDOFF_FIELDS) {
    if (h.mode === "plan" && (key === "touchedFiles" || key === "completedWork" || key === "validation")) continue;
    if (h.mode === "execute" && (key === "planPaths" || key === "maestroSync")) continue;
    const value = h[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A handoff for a worker that ended without making one: its reply's first paragraph (or sentence)
 * as the summary, the feature as the session core, the files it changed (from git) as touched
 * files and anchors, a middling confidence.
 */
export function handoffFromReply(reply: string, feature: { key: string; title: string }, touchedFiles: string[]): Handoff {
  const summary = firstParagraph(reply) || `${feature.title}: worker finished`;
  const files = touchedFiles.slice(0, 50).map((p) => `file_${normalizeUkiToken(p)}`);
  const h: Handoff = {
    mode: "execute",
    currentState: "execute_complete",
    sessionCore: `${feature.key}`,
    decisions: [],
    artifacts: files.length > 0 ? files : [`feature_${normalizeUkiToken(feature.key)}`],
    readMore: [],
    nextAction: "review_and_verify",
    summary,
    maestroRefs: { featureId: feature.key },
    cs: { summary: 0.5 },
    signalDelta: [],
    boundaryState: [],
    risks: [],
    causalDrivers: [],
    divergences: [],
    touchedFiles: files,
    completedWork: [feature.title],
    validation: [],
    planPaths: [],
    maestroSync: [],
  };
  h.readMore = h.artifacts.slice(0, 5);
  return h;
}

function firstParagraph(reply: string): string {
  const para =
    reply
      .replace(/\r/g, "")
      .split(/\n\s*\n/)
      .map((p) =>
        p
          .replace(/^#+\s*/gm, "")
          .replace(/\s+/g, " ")
          .trim(),
      )
      .find((p) => p !== "") ?? "";
  if (para.length <= 280) return para;
  const sentence = /^.{20,280}?[.!?](\s|$)/.exec(para)?.[0]?.trim();
  return sentence ?? `${para.slice(0, 279)}…`;
}
