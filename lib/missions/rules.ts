/**
 * Missions, the executor's pure decisions: which features may start now, which a failure blocks,
 * when a milestone seals or waits for a person, when the mission is complete, which agent does a
 * feature, the branch names, and which verification steps are commands (argv, never a shell
 * string). server/services/missions/executor.ts acts on them. Pure (types only).
 */
import { checkBranchName } from "../git/refs";
import type { AssertionStatus, FeatureStatus, MilestoneKind, MilestoneStatus } from "./types";

export interface RuleFeature {
  key: string;
  milestoneKey: string;
  status: FeatureStatus;
  dependsOn: string[];
  fulfills: string[];
  workerType?: string | null;
}

export interface RuleMilestone {
  key: string;
  order: number;
  kind: MilestoneKind;
  status: MilestoneStatus;
}

const SETTLED: ReadonlySet<FeatureStatus> = new Set(["done", "skipped"]);

/** A milestone is open once every milestone ordered before it is sealed. */
export function openMilestones(milestones: RuleMilestone[]): Set<string> {
  const open = new Set<string>();
  for (const m of milestones) {
    if (m.status === "sealed") continue;
    if (milestones.every((o) => o.order >= m.order || o.status === "sealed")) open.add(m.key);
  }
  return open;
}

/**
 * The features that may start now, in plan order: pending, every dependency done or skipped,
 * their milestone open. (A blocked one is not pending, so it never starts.)
 */
export function readyFeatures<F extends RuleFeature>(features: F[], milestones: RuleMilestone[]): F[] {
  const byKey = new Map(features.map((f) => [f.key, f]));
  const open = openMilestones(milestones);
  return features.filter(
    (f) =>
      f.status === "pending" &&
      open.has(f.milestoneKey) &&
      f.dependsOn.every((d) => {
        const dep = byKey.get(d);
        return dep !== undefined && SETTLED.has(dep.status);
      }),
  );
}

/** Every feature that depends on `key`, directly or through others (not `key` itself). */
export function transitiveDependents(features: RuleFeature[], key: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([key]);
  const queue = [key];
  while (queue.length) {
    const k = queue.shift()!;
    for (const f of features)
      if (f.dependsOn.includes(k) && !seen.has(f.key)) {
        seen.add(f.key);
        out.push(f.key);
        queue.push(f.key);
      }
  }
  return out;
}

/** The dependents a failure of `key` blocks: the transitive ones not already done, skipped or running. */
export function blockedByFailure(features: RuleFeature[], key: string): string[] {
  const byKey = new Map(features.map((f) => [f.key, f]));
  return transitiveDependents(features, key).filter((k) => {
    const s = byKey.get(k)?.status;
    return s === "pending" || s === "blocked";
  });
}

/**
 * What a milestone may do now: "seal" (a work milestone whose features are all done or skipped
 * and whose assertions all passed or were waived), "review" (a validation milestone whose
 * features are settled waits for a person), "wait" otherwise. Only an open milestone moves.
 */
export function milestoneStep(
  milestone: RuleMilestone,
  features: RuleFeature[],
  assertions: Map<string, AssertionStatus>,
  open: Set<string>,
): "seal" | "review" | "wait" {
  if (milestone.status === "sealed" || milestone.status === "review" || !open.has(milestone.key)) return "wait";
  const own = features.filter((f) => f.milestoneKey === milestone.key);
  if (!own.every((f) => SETTLED.has(f.status))) return "wait";
  if (milestone.kind === "validation") return "review";
  const keys = own.filter((f) => f.status === "done").flatMap((f) => f.fulfills);
  const ok = keys.every((k) => {
    const s = assertions.get(k);
    return s === "passed" || s === "waived";
  });
  return ok ? "seal" : "wait";
}

/** Every milestone is sealed (a mission with none is complete at once). */
export function missionComplete(milestones: RuleMilestone[]): boolean {
  return milestones.every((m) => m.status === "sealed");
}

/** Nothing runs, nothing may start, and a feature failed (or is blocked by one): the mission must pause for a person. */
export function stuckOnFailure(features: RuleFeature[], milestones: RuleMilestone[], running: number): RuleFeature | null {
  if (running > 0 || readyFeatures(features, milestones).length > 0) return null;
  return features.find((f) => f.status === "failed") ?? null;
}

/** Why a mission can go no further without a person (see stallOf). */
export type Stall =
  | { kind: "failed"; key: string }
  | { kind: "assertions"; milestoneKey: string; assertions: { key: string; status: AssertionStatus | "missing" }[] }
  | { kind: "features"; keys: string[] };

/**
 * Why the mission is stuck, or null: nothing runs (`running` counts workers, and features in
 * review the scheduler reviews again), nothing may start, no milestone may move, and none waits
 * for a person's seal, yet the mission is not complete. The reason is, in this order: a failed
 * feature; an open work milestone whose features are settled but whose assertions are not all
 * passed or waived (a shared one a skipped feature failed, a feature set done by hand, an
 * assertion set failed); else the unsettled features nothing can move (blocked, or waiting on
 * such). Call it once the milestones have moved as far as they can.
 */
export function stallOf(
  features: RuleFeature[],
  milestones: RuleMilestone[],
  assertions: Map<string, AssertionStatus>,
  running: number,
): Stall | null {
  if (running > 0 || readyFeatures(features, milestones).length > 0) return null;
  if (missionComplete(milestones) || milestones.some((m) => m.status === "review")) return null;
  const failed = features.find((f) => f.status === "failed");
  if (failed) return { kind: "failed", key: failed.key };
  const open = openMilestones(milestones);
  for (const m of milestones) {
    if (!open.has(m.key) || m.kind !== "work") continue;
    const own = features.filter((f) => f.milestoneKey === m.key);
    if (!own.every((f) => SETTLED.has(f.status))) continue;
    const keys = [...new Set(own.filter((f) => f.status === "done").flatMap((f) => f.fulfills))];
    const bad = keys
      .map((key) => ({ key, status: assertions.get(key) ?? ("missing" as const) }))
      .filter((a) => a.status !== "passed" && a.status !== "waived");
    if (bad.length) return { kind: "assertions", milestoneKey: m.key, assertions: bad };
  }
  const unsettled = features.filter((f) => !SETTLED.has(f.status));
  const inOpen = unsettled.filter((f) => open.has(f.milestoneKey));
  return { kind: "features", keys: (inOpen.length ? inOpen : unsettled).map((f) => f.key) };
}

/** What a stalled mission's pause says: what is stuck, and what a person can do. */
export function stallReason(
  stall: Stall,
  view: { features: { key: string; title: string; status: FeatureStatus }[]; milestones: { key: string; title: string }[] },
): string {
  const titleOf = (key: string) => view.features.find((f) => f.key === key)?.title ?? key;
  if (stall.kind === "failed") return `Feature ${titleOf(stall.key)} failed: Retry, Skip or Reassign.`;
  if (stall.kind === "features")
    return `Nothing can run: ${stall.keys
      .map((k) => `${titleOf(k)} (${view.features.find((f) => f.key === k)?.status ?? "?"})`)
      .join(", ")} cannot go on. Retry, Skip or set them, then Resume.`;
  const one = stall.assertions.length === 1;
  const milestone = view.milestones.find((m) => m.key === stall.milestoneKey)?.title ?? stall.milestoneKey;
  const list = stall.assertions.map((a) => `${a.key} (${a.status})`).join(", ");
  return `${milestone} cannot seal: ${list} ${one ? "is" : "are"} not passed or waived. Set or waive ${one ? "it" : "them"}, or retry the features behind ${one ? "it" : "them"}, then Resume.`;
}

export interface PoolAgent {
  id: string;
  provider: string;
}

/**
 * Who does a feature: the agent it was reassigned to (still in the pool or the project); else the
 * least busy pool agent whose provider is the feature's `workerType`; else the least busy pool
 * agent; an empty pool means the project agent. Ties go to the pool's order.
 */
export function chooseAgent(input: {
  feature: { agentId?: string | null; workerType?: string | null };
  pool: PoolAgent[];
  projectAgentId: string;
  /** Workers running now per agent id. */
  busy: Map<string, number>;
}): string {
  const { feature, pool, busy } = input;
  if (feature.agentId && (feature.agentId === input.projectAgentId || pool.some((a) => a.id === feature.agentId))) return feature.agentId;
  if (pool.length === 0) return input.projectAgentId;
  const typed = feature.workerType ? pool.filter((a) => a.provider === feature.workerType) : [];
  const from = typed.length ? typed : pool;
  let best = from[0]!;
  for (const a of from) if ((busy.get(a.id) ?? 0) < (busy.get(best.id) ?? 0)) best = a;
  return best.id;
}

/** A plan id as one branch name component: letters, digits, `.`, `_`, `-` (never a leading `.` or `-`, never `.lock`). */
export function branchPart(key: string): string {
  let s = key
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+/, "")
    .replace(/[.-]+$/, "");
  if (s.toLowerCase().endsWith(".lock")) s = s.slice(0, -5).replace(/[.-]+$/, "");
  return (s || "x").slice(0, 60);
}

/**
 * The mission branch and each feature's branch. `mission/<ref>/main` and `mission/<ref>/f/<key>`
 * never clash as git refs (one is a file where the other is a folder only if a key were `main`'s
 * folder, and keys live under `f/`); two keys that clean up alike get `-2`, `-3`.
 */
export function missionBranches(refId: string, featureKeys: string[]): { mission: string; features: Map<string, string> } {
  const root = `mission/${branchPart(refId)}`;
  const features = new Map<string, string>();
  const used = new Set<string>();
  for (const key of featureKeys) {
    const base = branchPart(key);
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    features.set(key, `${root}/f/${name}`);
  }
  const mission = `${root}/main`;
  for (const b of [mission, ...features.values()]) {
    const problem = checkBranchName(b);
    if (problem) throw new Error(`${b}: ${problem}`);
  }
  return { mission, features };
}

export type VerificationCommand = { argv: string[] } | { refused: string };

const OPERATORS: Record<string, string> = {
  "|": "a pipe (|)",
  "&": "“&” or “&&”",
  ";": "“;”",
  "<": "a redirection (<)",
  ">": "a redirection (>)",
  "`": "a command substitution (`)",
};

/**
 * A verification step that is a command: wrapped in backticks (`` `npm test` ``) or starting with
 * "$ ". Split into argv honouring single and double quotes and backslashes; shell operators are
 * refused with the reason, since a step never runs through a shell. Anything else is prose
 * (null): it is the worker's to report on.
 */
export function parseVerificationStep(step: string): VerificationCommand | null {
  const t = step.trim();
  let body: string | null = null;
  const ticked = /^`([^`]+)`$/.exec(t);
  if (ticked) body = ticked[1]!;
  else if (t.startsWith("$ ")) body = t.slice(2);
  if (body === null || !body.trim()) return null;
  const argv: string[] = [];
  let cur = "";
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < body.length && '"\\$`'.includes(body[i + 1]!)) cur += body[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      has = true;
      continue;
    }
    if (c === "\\" && i + 1 < body.length) {
      cur += body[++i];
      has = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (has || cur) argv.push(cur);
      cur = "";
      has = false;
      continue;
    }
    const op = OPERATORS[c] ?? (c === "$" && /[({A-Za-z_]/.test(body[i + 1] ?? "") ? "a substitution or variable ($)" : null);
    if (op) return { refused: `“${body}” uses ${op}: a verification command runs without a shell; write one plain command.` };
    cur += c;
  }
  if (quote) return { refused: `“${body}” has an unclosed ${quote} quote.` };
  if (has || cur) argv.push(cur);
  return argv.length ? { argv } : null;
}

/** The argv of a step that is a command; null for prose (and for a refused one: see parseVerificationStep for why). */
export function verificationCommand(step: string): string[] | null {
  const p = parseVerificationStep(step);
  return p && "argv" in p ? p.argv : null;
}
