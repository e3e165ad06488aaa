/**
 * Checks a pasted or picked plan file in the browser before it is sent, with the bridge's own
 * parser (lib/missions/plan.ts, imported lazily: zod stays off the first load). The errors name
 * what is wrong (a cycle by its features, an unknown milestone, a duplicate id).
 */
export type PlanCheck = { ok: true; title: string; milestones: number; features: number } | { ok: false; errors: string[] };

export async function checkPlan(text: string): Promise<PlanCheck> {
  const { parsePlan } = await import("@/lib/missions/plan");
  const r = parsePlan(text);
  if (!r.ok) return { ok: false, errors: r.errors };
  return { ok: true, title: r.plan.title, milestones: r.plan.milestones.length, features: r.plan.features.length };
}
