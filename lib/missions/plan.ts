import { z } from "zod";
import { findCycle } from "./graph";
import type { MissionView } from "./types";

/**
 * The plan file (`mission create --file plan.json`): the reference CLI's shape (ReinaMacCredy/
 * maestro v0.40.6, src/features/mission/domain/mission-validators.ts `MissionPlanFileSchema`),
 * read tolerantly where its README and source differ: `workerType` or `agentType`; milestone
 * `kind` `work`, `gate` or `validation` (a gate is stored as "validation"); `order` may be left
 * out (its place in the list). Unlike the reference, a dependency cycle, an unknown dependency
 * and a dependency on a later milestone's feature are refused before anything is stored.
 * zod is imported here only, so this module is loaded lazily on the client.
 */

export interface PlanMilestone {
  id: string;
  title: string;
  description: string;
  order: number;
  kind: "work" | "validation";
  profile: string | null;
}

export interface PlanFeature {
  id: string;
  milestoneId: string;
  title: string;
  description: string;
  workerType: string | null;
  dependsOn: string[];
  verificationSteps: string[];
  fulfills: string[];
}

export interface MissionPlan {
  title: string;
  description: string;
  milestones: PlanMilestone[];
  features: PlanFeature[];
}

export type PlanResult = { ok: true; plan: MissionPlan } | { ok: false; errors: string[] };

/** The reference's feature id pattern: it names `features/<id>.json` and a branch, so it is enforced. */
export const FEATURE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const WORKER_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]*$/;

const text = z.string().max(20_000);
const name = z.string().trim().min(1).max(200);
const list = z.array(z.string().trim().min(1).max(4000)).max(200);

const milestoneSchema = z.strictObject({
  id: name,
  title: name,
  description: text.optional(),
  order: z.number().int().min(0).optional(),
  kind: z.enum(["work", "gate", "validation"]).optional(),
  profile: z.string().max(100).nullish(),
});

const featureSchema = z.strictObject({
  id: name.regex(FEATURE_ID_PATTERN, "use letters, digits, - and _ (starting with a letter or digit)"),
  milestoneId: name,
  title: name,
  description: text.optional(),
  workerType: z.string().regex(WORKER_TYPE_PATTERN, "use letters, digits, :, ., - and _").max(100).nullish(),
  agentType: z.string().regex(WORKER_TYPE_PATTERN, "use letters, digits, :, ., - and _").max(100).nullish(),
  dependsOn: list.optional(),
  verificationSteps: list.optional(),
  fulfills: list.optional(),
  preconditions: text.optional(),
  expectedBehavior: text.optional(),
});

const planSchema = z.strictObject({
  title: name,
  description: text.optional(),
  proposal: text.optional(),
  milestones: z.array(milestoneSchema).min(1).max(100),
  features: z.array(featureSchema).max(500),
});

/** Parses and checks a plan (its JSON text or the parsed value); every problem is one line. */
// `string | unknown` as the contract names it: the text of a plan file, or its parsed value.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- documents the two accepted forms
export function parsePlan(input: string | unknown): PlanResult {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [jsonError(input, e)] };
    }
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.slice(0, 20).map(issueLine) };
  const raw = parsed.data;
  const errors: string[] = [];

  const milestones: PlanMilestone[] = raw.milestones.map((m, i) => ({
    id: m.id,
    title: m.title,
    description: m.description ?? "",
    order: m.order ?? i,
    kind: m.kind === "gate" || m.kind === "validation" ? "validation" : "work",
    profile: m.profile ?? null,
  }));
  const features: PlanFeature[] = raw.features.map((f) => {
    if (f.workerType && f.agentType && f.workerType !== f.agentType)
      errors.push(`Feature "${f.id}" gives workerType "${f.workerType}" and agentType "${f.agentType}": give one.`);
    const extra = [
      f.preconditions?.trim() ? `Preconditions: ${f.preconditions.trim()}` : "",
      f.expectedBehavior?.trim() ? `Expected behavior: ${f.expectedBehavior.trim()}` : "",
    ].filter(Boolean);
    return {
      id: f.id,
      milestoneId: f.milestoneId,
      title: f.title,
      description: [f.description ?? "", ...extra].filter(Boolean).join("\n\n"),
      workerType: f.workerType ?? f.agentType ?? null,
      dependsOn: unique(f.dependsOn ?? []),
      verificationSteps: f.verificationSteps ?? [],
      fulfills: unique(f.fulfills ?? []),
    };
  });

  for (const id of duplicates(milestones.map((m) => m.id))) errors.push(`Duplicate milestone id "${id}".`);
  for (const id of duplicates(features.map((f) => f.id))) errors.push(`Duplicate feature id "${id}".`);
  const milestoneById = new Map(milestones.map((m) => [m.id, m]));
  const featureById = new Map(features.map((f) => [f.id, f]));
  for (const f of features) {
    if (!milestoneById.has(f.milestoneId))
      errors.push(
        `Feature "${f.id}" belongs to milestone "${f.milestoneId}", which the plan does not have (milestones: ${milestones.map((m) => m.id).join(", ")}).`,
      );
    for (const dep of f.dependsOn) {
      if (!featureById.has(dep)) errors.push(`Feature "${f.id}" depends on "${dep}", which is no feature of this plan.`);
    }
  }
  const cycle = findCycle(features);
  if (cycle) errors.push(`Dependency cycle: ${cycle.join(" → ")}.`);
  for (const f of features) {
    const own = milestoneById.get(f.milestoneId);
    if (!own) continue;
    for (const dep of f.dependsOn) {
      const other = milestoneById.get(featureById.get(dep)?.milestoneId ?? "");
      if (other && other.order > own.order)
        errors.push(
          `Feature "${f.id}" (milestone "${own.id}") depends on "${dep}" of the later milestone "${other.id}": a feature may depend only on features of its own or earlier milestones.`,
        );
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { title: raw.title, description: raw.description ?? "", milestones, features } };
}

/** A stored mission as its plan (export, checkpoints). */
export function planOf(view: MissionView): MissionPlan {
  return {
    title: view.title,
    description: view.description,
    milestones: view.milestones.map((m) => ({
      id: m.key,
      title: m.title,
      description: m.description,
      order: m.order,
      kind: m.kind,
      profile: m.profile,
    })),
    features: view.features.map((f) => ({
      id: f.key,
      milestoneId: f.milestoneKey,
      title: f.title,
      description: f.description,
      workerType: f.workerType,
      dependsOn: [...f.dependsOn],
      verificationSteps: [...f.verificationSteps],
      fulfills: [...f.fulfills],
    })),
  };
}

/**
 * A plan in the reference's own plan-file spelling (`agentType`, kind `gate`), which its
 * `mission create --file` accepts: a feature with no worker type gets `agentType` "any" and one
 * with no verification steps a step that says so (the reference requires both).
 */
export function referencePlanFile(plan: MissionPlan): Record<string, unknown> {
  return {
    title: plan.title,
    description: plan.description,
    milestones: plan.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      order: m.order,
      kind: m.kind === "validation" ? "gate" : "work",
      ...(m.profile && REFERENCE_PROFILES.has(m.profile) ? { profile: m.profile } : {}),
    })),
    features: plan.features.map((f) => ({
      id: f.id,
      milestoneId: f.milestoneId,
      title: f.title,
      description: f.description,
      agentType: f.workerType ?? "any",
      verificationSteps: f.verificationSteps.length > 0 ? f.verificationSteps : [NO_STEPS],
      dependsOn: f.dependsOn,
      fulfills: f.fulfills,
    })),
  };
}

export const NO_STEPS = "No verification steps were given";
export const REFERENCE_PROFILES = new Set([
  "planning",
  "plan-review",
  "implementation",
  "code-review",
  "bug-hunt",
  "simplify",
  "validation",
  "custom",
]);

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out ? "." : ""}${String(p)}`;
  return out || "the plan";
}

function issueLine(issue: z.core.$ZodIssue): string {
  const at = pathOf(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return /received undefined/.test(issue.message) ? `${at}: is required.` : `${at}: must be ${article(issue.expected)}.`;
    case "unrecognized_keys":
      return `${at}: unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}.`;
    case "too_small":
      if (issue.origin === "string") return `${at}: must not be empty.`;
      if (issue.origin === "array") return `${at}: needs at least ${String(issue.minimum)} item(s).`;
      return `${at}: must be ${String(issue.minimum)} or more.`;
    case "too_big":
      return `${at}: too long (at most ${String(issue.maximum)}).`;
    case "invalid_value":
      return `${at}: must be one of ${issue.values.map((v) => String(v)).join(", ")}.`;
    case "invalid_format":
      return `${at}: ${issue.message}.`;
    default:
      return `${at}: ${issue.message}.`;
  }
}

function article(type: string): string {
  if (type === "array") return "a list";
  if (type === "object") return "an object";
  if (type === "int") return "a whole number";
  return `a ${type}`;
}

function jsonError(source: string, e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
  let pos = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
  // Newer V8 leaves the position out and quotes the text around the fault instead.
  const quoted = /^Unexpected token '(.)', "(?:\.\.\.)?(.*)/s.exec(e instanceof Error ? e.message : "");
  if (Number.isNaN(pos) && quoted) {
    const snippet = quoted[2]!.replace(/(\.\.\.)?" is not valid JSON$/s, "");
    const at = source.indexOf(snippet);
    if (at >= 0) pos = at + snippet.indexOf(quoted[1]!);
  }
  const what = quoted ? `unexpected "${quoted[1]}"` : message.replace(/ in JSON at position \d+.*$/, "");
  if (Number.isNaN(pos)) return `Invalid JSON: ${what}.`;
  const before = source.slice(0, pos).split("\n");
  return `Invalid JSON: ${what} (line ${before.length} column ${before[before.length - 1]!.length + 1}).`;
}
