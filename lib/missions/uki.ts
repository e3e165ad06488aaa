import type { Handoff, HandoffRefs } from "./handoff";

/**
 * The UKI v5.4 transfer string of a handoff: the reference CLI's layout (ReinaMacCredy/maestro
 * v0.40.6, src/features/handoff/lib/uki-format.ts): `NAME-value` slots joined by `|` in a fixed
 * order per mode, list items joined by `-`, `NONE` for an empty list, confidence as
 * `CS-work_0.9~summary_0.7`. The reference has no escaping: its encoder refuses `: newline `
 * backtick * |`, a `-` inside a list item, more than six `_`-words per token and a summary of 140
 * characters or more. Ours never refuses: it rewrites such text the least it can (forbidden
 * characters → a space, `-` in an item → `_`, extra words joined by spaces, a long summary cut),
 * so a valid handoff encodes byte for byte as the reference's and any other still decodes. The
 * decoder reads v5.4 (both modes) and the legacy v5.3 and v5.2 layouts, as the reference's does.
 */

type Kind = "single" | "list" | "refs" | "cs";
interface Slot {
  name: string;
  kind: Kind;
  key?: keyof Handoff;
}

const S = (name: string, key: keyof Handoff): Slot => ({ name, kind: "single", key });
const L = (name: string, key: keyof Handoff): Slot => ({ name, kind: "list", key });
const REFS: Slot = { name: "MAESTRO_REFS", kind: "refs" };
const CS: Slot = { name: "CS", kind: "cs" };

const HEAD = [S("MODE", "mode"), S("CURRENT_STATE", "currentState"), S("SESSION_CORE", "sessionCore")];
const TAIL = [S("NEXT_ACTION", "nextAction"), CS, S("SUMMARY", "summary")];
const PLAN_SLOTS: Slot[] = [
  ...HEAD,
  L("CAUSAL_DRIVERS", "causalDrivers"),
  L("DIVERGENCES", "divergences"),
  REFS,
  L("PLAN_PATHS", "planPaths"),
  L("MAESTRO_SYNC", "maestroSync"),
  L("DECISIONS", "decisions"),
  L("SIGNAL_DELTA", "signalDelta"),
  L("ARTIFACTS", "artifacts"),
  L("READ_MORE", "readMore"),
  ...TAIL,
];
const EXECUTE_HEAD: Slot[] = [
  ...HEAD,
  L("CAUSAL_DRIVERS", "causalDrivers"),
  L("DIVERGENCES", "divergences"),
  REFS,
  L("DECISIONS", "decisions"),
  L("SIGNAL_DELTA", "signalDelta"),
  L("TOUCHED_FILES", "touchedFiles"),
  L("COMPLETED_WORK", "completedWork"),
  L("VALIDATION", "validation"),
  L("ARTIFACTS", "artifacts"),
  L("READ_MORE", "readMore"),
  L("BOUNDARY_STATE", "boundaryState"),
  L("RISKS", "risks"),
];
const BLIND_SPOT = S("BLIND_SPOT", "blindSpot");
const METAPHOR = S("METAPHOR", "metaphor");

// Legacy layouts (read only), by slot name.
const V53 = {
  head: "SESSION_CORE CAUSAL_DRIVERS DIVERGENCES KEY_DECISIONS DECISION_BASIS SIGNAL_DELTA VALIDATION_STATE EXECUTION_STATE BOUNDARY_STATE NEXT_ACTION ARTIFACTS STANCE_COLLAPSE".split(
    " ",
  ),
  tail: ["CS", "SUMMARY"],
};
const V52 =
  "SESSION_CORE CAUSAL_DRIVERS DIVERGENCES KEY_DECISIONS SIGNAL_DELTA ARTIFACTS EXECUTION_STATE BOUNDARY_STATE STANCE_COLLAPSE NEXT_ACTION CS SUMMARY".split(
    " ",
  );

export const UKI_VERSION = "5.4";
export const UKI_NONE = "NONE";
const FORBIDDEN = /(?:\s*[:\n\r`*|])+\s*/g;
const MAX_WORDS = 6;
const SUMMARY_LIMIT = 140;
const CS_PATTERN = /^(work_\d+(?:\.\d+)?(?:~summary_\d+(?:\.\d+)?)?|summary_\d+(?:\.\d+)?)$/;

/** The handoff as a UKI v5.4 string (one line). */
export function encodeUki(h: Handoff): string {
  const slots =
    h.mode === "plan"
      ? PLAN_SLOTS
      : [...EXECUTE_HEAD, ...(h.blindSpot?.trim() ? [BLIND_SPOT] : []), ...(h.metaphor?.trim() ? [METAPHOR] : []), ...TAIL];
  return slots.map((slot) => `${slot.name}-${encodeSlot(slot, h)}`).join("|");
}

function encodeSlot(slot: Slot, h: Handoff): string {
  switch (slot.kind) {
    case "cs":
      return encodeCs(h.cs);
    case "refs":
      return encodeRefs(h.maestroRefs);
    case "list": {
      const items = ((h[slot.key!] as string[] | undefined) ?? []).map(listToken).filter((t) => t !== "");
      return items.length > 0 ? items.join("-") : UKI_NONE;
    }
    case "single": {
      if (slot.key === "mode") return h.mode === "plan" ? "plan" : "execute";
      const raw = h[slot.key!];
      const value = singleValue(typeof raw === "string" ? raw : "");
      return slot.key === "summary" ? limitSummary(value) : value;
    }
  }
}

function clean(text: string): string {
  return text.replace(FORBIDDEN, " ").trim();
}

/** At most six `_`-words per `~` half: the rest join the sixth with spaces. */
function limitWords(token: string): string {
  return token
    .split("~")
    .map((half) => {
      const words = half.split("_");
      return words.length <= MAX_WORDS ? half : `${words.slice(0, MAX_WORDS - 1).join("_")}_${words.slice(MAX_WORDS - 1).join(" ")}`;
    })
    .join("~");
}

function singleValue(text: string): string {
  const parts = clean(text)
    .split("-")
    .filter((p) => p.trim() !== "")
    .map(limitWords);
  return parts.length > 0 ? parts.join("-") : UKI_NONE;
}

function limitSummary(value: string): string {
  if (value.length < SUMMARY_LIMIT) return value;
  return value.slice(0, SUMMARY_LIMIT - 1).replace(/[-~_\s]+$/, "");
}

function listToken(text: string): string {
  return limitWords(clean(text).replace(/-/g, "_").trim());
}

const REF_PREFIXES: [keyof HandoffRefs, string][] = [
  ["missionId", "mission_"],
  ["featureId", "feature_"],
  ["milestoneId", "milestone_"],
  ["planPath", "plan_"],
  ["specPath", "spec_"],
];

function encodeRefs(refs: HandoffRefs): string {
  const tokens = REF_PREFIXES.filter(([key]) => refs[key]?.trim()).map(([key, prefix]) => listToken(`${prefix}${refs[key]!}`));
  return tokens.length > 0 ? tokens.join("-") : UKI_NONE;
}

function csNumber(n: number): string {
  return String(Number.parseFloat(Math.max(0, n).toFixed(2)));
}

function encodeCs(cs: Handoff["cs"]): string {
  const work = typeof cs.work === "number" && Number.isFinite(cs.work) ? `work_${csNumber(cs.work)}` : "";
  const summary = typeof cs.summary === "number" && Number.isFinite(cs.summary) ? `summary_${csNumber(cs.summary)}` : "";
  if (!work && !summary) return "summary_0.5";
  return [work, summary].filter(Boolean).join("~");
}

export type UkiResult = { ok: true; handoff: Handoff; version: "5.4" | "5.3" | "5.2" } | { ok: false; error: string };

/**
 * Reads a UKI string (v5.4, or the legacy v5.3 / v5.2). Tolerant where a person pasting one
 * needs it: text before the first slot (the paste preamble, "UKI v5.4 string:") is skipped and
 * the README's one-slot-per-line display is joined back into one line.
 */
export function decodeUki(input: string): UkiResult {
  const raw = extractUki(input);
  if (!raw) return { ok: false, error: "No UKI string found: it starts with MODE-plan, MODE-execute or SESSION_CORE-." };
  const parts = raw.split("|");
  try {
    if (parts[0]!.startsWith("MODE-plan")) return decodeLayout(parts, PLAN_SLOTS, "plan");
    if (parts[0]!.startsWith("MODE-execute")) {
      let at = EXECUTE_HEAD.length;
      const slots = [...EXECUTE_HEAD];
      if (parts[at]?.startsWith("BLIND_SPOT-")) {
        slots.push(BLIND_SPOT);
        at++;
      }
      if (parts[at]?.startsWith("METAPHOR-")) slots.push(METAPHOR);
      return decodeLayout(parts, [...slots, ...TAIL], "execute");
    }
    return decodeLegacy(parts);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function extractUki(input: string): string {
  const lines = input.replace(/\r/g, "").split("\n");
  const start = lines.findIndex((l) => /(^|\|)\s*(MODE-(plan|execute)|SESSION_CORE-)/.test(l));
  if (start < 0) return "";
  const first = lines[start]!;
  let out = first.slice(first.search(/(MODE-(plan|execute)|SESSION_CORE-)/)).trim();
  for (let i = start + 1; i < lines.length && lines[i]!.trim().startsWith("|"); i++) out += lines[i]!.trim();
  return out;
}

function checkLayout(parts: string[], names: string[], what: string): void {
  if (parts.length !== names.length)
    throw new Error(`Not a UKI ${what} string: it has ${parts.length} slots, the layout has ${names.length}.`);
  names.forEach((name, i) => {
    if (!parts[i]!.startsWith(`${name}-`))
      throw new Error(`Not a UKI ${what} string: slot ${i + 1} should start with ${name}- (found "${parts[i]!.slice(0, 30)}").`);
  });
}

function listValue(raw: string): string[] {
  return raw === UKI_NONE ? [] : raw.split("-").filter(Boolean);
}

function refsValue(raw: string): HandoffRefs {
  const refs: HandoffRefs = {};
  if (raw === UKI_NONE) return refs;
  for (const token of raw.split("-")) {
    const hit = REF_PREFIXES.find(([, prefix]) => token.startsWith(prefix));
    if (hit) refs[hit[0]] = token.slice(hit[1].length);
  }
  return refs;
}

function csValue(raw: string): Handoff["cs"] {
  if (!CS_PATTERN.test(raw)) throw new Error(`UKI CS slot has an invalid value: ${raw.slice(0, 40)}`);
  const cs: Handoff["cs"] = {};
  for (const token of raw.split("~")) {
    if (token.startsWith("work_")) cs.work = Number(token.slice(5));
    else if (token.startsWith("summary_")) cs.summary = Number(token.slice(8));
  }
  return cs;
}

function emptyHandoff(mode: "plan" | "execute"): Handoff {
  return {
    mode,
    currentState: "",
    sessionCore: "",
    decisions: [],
    artifacts: [],
    readMore: [],
    nextAction: "",
    summary: "",
    maestroRefs: {},
    cs: {},
    signalDelta: [],
    boundaryState: [],
    risks: [],
    causalDrivers: [],
    divergences: [],
    touchedFiles: [],
    completedWork: [],
    validation: [],
    planPaths: [],
    maestroSync: [],
  };
}

function decodeLayout(parts: string[], slots: Slot[], mode: "plan" | "execute"): UkiResult {
  checkLayout(
    parts,
    slots.map((s) => s.name),
    `v5.4 ${mode}`,
  );
  const h = emptyHandoff(mode);
  slots.forEach((slot, i) => {
    const value = parts[i]!.slice(slot.name.length + 1);
    if (slot.kind === "cs") h.cs = csValue(value);
    else if (slot.kind === "refs") h.maestroRefs = refsValue(value);
    else if (slot.kind === "list") (h as unknown as Record<string, unknown>)[slot.key!] = listValue(value);
    else if (slot.key !== "mode" && (value !== "" || (slot.key !== "blindSpot" && slot.key !== "metaphor")))
      (h as unknown as Record<string, unknown>)[slot.key!] = value;
  });
  return { ok: true, handoff: h, version: "5.4" };
}

function decodeLegacy(parts: string[]): UkiResult {
  const v53Names = [...V53.head];
  let at = V53.head.length;
  if (parts[at]?.startsWith("BLIND_SPOT-")) {
    v53Names.push("BLIND_SPOT");
    at++;
  }
  if (parts[at]?.startsWith("METAPHOR-")) v53Names.push("METAPHOR");
  v53Names.push(...V53.tail);
  const matches = (names: string[]) => parts.length === names.length && names.every((n, i) => parts[i]!.startsWith(`${n}-`));
  const isV53 = matches(v53Names);
  if (!isV53 && !matches(V52)) {
    checkLayout(parts, parts[0]!.startsWith("SESSION_CORE-") && parts.length === V52.length ? V52 : v53Names, "legacy v5.3/v5.2");
  }
  const names = isV53 ? v53Names : V52;
  const v = new Map(names.map((n, i) => [n, parts[i]!.slice(n.length + 1)]));
  const list = (n: string) => listValue(v.get(n) ?? UKI_NONE);
  const artifacts = list("ARTIFACTS");
  const files = artifacts.filter((a) => a.startsWith("file_"));
  const nextAction = v.get("NEXT_ACTION")!;
  const keyDecisions = list("KEY_DECISIONS");
  const signalDelta = list("SIGNAL_DELTA");
  const blindSpot = isV53 ? v.get("BLIND_SPOT") : undefined;
  const metaphor = isV53 ? v.get("METAPHOR") : undefined;
  const h: Handoff = {
    ...emptyHandoff("execute"),
    currentState: v.get("EXECUTION_STATE")!,
    sessionCore: v.get("SESSION_CORE")!,
    decisions: isV53 ? [...keyDecisions, ...list("DECISION_BASIS")] : keyDecisions,
    artifacts,
    readMore: files.length > 0 ? files : artifacts.length > 0 ? artifacts.slice(0, 3) : [nextAction],
    nextAction,
    summary: v.get("SUMMARY")!,
    cs: csValue(v.get("CS")!),
    signalDelta,
    boundaryState: list("BOUNDARY_STATE"),
    risks: blindSpot ? [blindSpot] : [],
    ...(blindSpot ? { blindSpot } : {}),
    ...(metaphor ? { metaphor } : {}),
    causalDrivers: list("CAUSAL_DRIVERS"),
    divergences: list("DIVERGENCES"),
    touchedFiles: files,
    completedWork: signalDelta.length > 0 ? signalDelta : keyDecisions,
    validation: isV53 ? list("VALIDATION_STATE") : [],
  };
  return { ok: true, handoff: h, version: isV53 ? "5.3" : "5.2" };
}
