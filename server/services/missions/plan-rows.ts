import type { MissionPlan } from "../../../lib/missions/plan";

/**
 * A plan's milestones and features as the rows `mission.create` nests, at their defaults. A new
 * mission (lifecycle.ts) stores them as they are; an import (import.ts) adds the statuses it read.
 */
export function milestoneRows(plan: MissionPlan) {
  return plan.milestones.map((ms) => ({
    key: ms.id,
    title: ms.title,
    description: ms.description,
    order: ms.order,
    kind: ms.kind,
    profile: ms.profile,
  }));
}

export function featureRows(plan: MissionPlan) {
  return plan.features.map((f, i) => ({
    key: f.id,
    milestoneKey: f.milestoneId,
    title: f.title,
    description: f.description,
    workerType: f.workerType,
    dependsOnJson: JSON.stringify(f.dependsOn),
    verificationJson: JSON.stringify(f.verificationSteps),
    fulfillsJson: JSON.stringify(f.fulfills),
    sortOrder: i,
  }));
}
