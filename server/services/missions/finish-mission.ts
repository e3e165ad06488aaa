import { milestoneStep, openMilestones } from "../../../lib/missions/rules";
import type { MissionView } from "../../../lib/missions/types";
import type { ExecCtx } from "./executor";
import { tidyFeatureWorktrees } from "./tidy";

/** What finishing a mission needs of `services.finish` (the same calls Auto Run and the finishing sheet use). */
export interface MissionFinishApi {
  mergeBack(input: { agentId: string; into?: string | null }): Promise<{ sha: string }>;
  createPr(input: {
    agentId: string;
    base?: string;
    title?: string;
    body?: string;
  }): Promise<{ url?: string | null; via: "gh" | "compare" | "none"; reason?: string }>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function prBody(view: MissionView): string {
  const done = view.features.filter((f) => f.status === "done");
  const skipped = view.features.filter((f) => f.status === "skipped");
  return [
    view.description,
    `Mission ${view.refId}: ${done.length} feature${done.length === 1 ? "" : "s"} merged, each verified on its own branch.`,
    done.map((f) => `- ${f.title} (${f.key})`).join("\n"),
    skipped.length ? `Skipped: ${skipped.map((f) => f.title).join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/**
 * Every milestone is sealed: the mission branch is merged into the base branch ("merge"), pushed
 * with its pull request opened ("pr"), or kept ("none"). What goes wrong there is a warning on a
 * completed mission (the branch stays, with every feature on it), never a failed one.
 */
export async function finishMission(ctx: ExecCtx, view: MissionView): Promise<void> {
  const finish = ctx.deps.finish();
  // The finish is marked before it acts: one cut off by a kill (pushed, its pull request opened,
  // not yet "completed") is known as a second try when Resume runs it again.
  const again = (await ctx.deps.db.missionEvent.count({ where: { missionId: view.id, type: "mission-finishing" } })) > 0;
  if (view.finishMode !== "none")
    await ctx.recorder.commit(view.id, async () => {}, [
      {
        type: "mission-finishing",
        text: `Every milestone is sealed: ${view.finishMode === "merge" ? "merging" : "pushing"} ${view.branch ?? "the mission branch"}${again ? " (again, after an interruption)" : ""}.`,
      },
    ]);
  let prUrl: string | null = null;
  let prVia: string | null = view.finishMode === "none" ? "none" : null;
  let warning: string | null = null;
  const branch = view.branch ?? "the mission branch";
  if (view.finishMode !== "none" && (!finish || !view.missionAgentId))
    warning = `Finishing is not available on this bridge: ${branch} is kept.`;
  else if (view.finishMode === "merge" && finish && view.missionAgentId) {
    try {
      await finish.mergeBack({ agentId: view.missionAgentId, into: view.baseBranch });
      prVia = "merge";
    } catch (err) {
      warning = `${branch} could not be merged into ${view.baseBranch ?? "its base branch"}: ${messageOf(err)} The branch is kept: merge it by hand.`;
    }
  } else if (view.finishMode === "pr" && finish && view.missionAgentId) {
    try {
      const pr = await finish.createPr({
        agentId: view.missionAgentId,
        base: view.baseBranch ?? undefined,
        title: view.title,
        body: prBody(view),
      });
      prUrl = pr.url || null;
      prVia = pr.via;
      // The pull request a cut-off first try opened is this mission's own: no warning.
      const ours = again && pr.via === "gh" && prUrl && /already exists/i.test(pr.reason ?? "");
      warning = ours ? null : pr.reason || (prUrl ? null : "No pull request could be opened for this remote.");
    } catch (err) {
      warning = `${branch} could not be pushed or its pull request opened: ${messageOf(err)}`;
    }
  }
  const how =
    prVia === "merge"
      ? `merged into ${view.baseBranch}`
      : prUrl
        ? `pull request: ${prUrl}`
        : view.finishMode === "none"
          ? `its work is on ${branch}`
          : `${branch} is kept`;
  await ctx.recorder.commit(
    view.id,
    (tx) =>
      tx.mission
        .update({
          where: { id: view.id },
          data: { status: "completed", statusDetail: warning ?? "", completedAt: new Date(), prUrl, prVia, finishWarning: warning },
        })
        .then(() => {}),
    [{ type: "mission-completed", text: `Mission done: ${how}.${warning ? ` ${warning}` : ""}` }],
  );
  await ctx.recorder.notify(view.id, "Mission done", `${view.title}: ${how}.`).catch(() => {});
  // Then the merged feature worktrees go (what stays is said in its log): housekeeping that
  // takes a moment a worktree, not a reason to keep "done" waiting. It runs in the mission's
  // chain, so idle() and a shutdown wait for it.
  await tidyFeatureWorktrees(ctx, view).catch((err: unknown) => ctx.deps.logger.error(`mission ${view.id}: tidying: ${messageOf(err)}`));
}

/** Milestones move: open ones become active, settled ones seal (work) or wait for review (validation). */
export async function moveMilestones(ctx: ExecCtx, view: MissionView): Promise<boolean> {
  const { recorder } = ctx;
  const open = openMilestones(view.milestones);
  const assertions = new Map(view.assertions.map((a) => [a.key, a.status]));
  const id = view.id;
  for (const m of view.milestones) {
    const step = milestoneStep(m, view.features, assertions, open);
    if (step === "seal") {
      await recorder.checkpoint(id, `Before sealing ${m.title}`);
      await recorder.commit(
        id,
        (tx) =>
          tx.missionMilestone
            .update({
              where: { missionId_key: { missionId: id, key: m.key } },
              data: { status: "sealed", sealedAt: new Date(), sealedBy: "auto" },
            })
            .then(() => {}),
        [
          {
            type: "milestone-sealed",
            text: `${m.title} sealed: its features are done and its assertions passed.`,
            milestoneKey: m.key,
          },
        ],
      );
      return true;
    }
    if (step === "review") {
      await recorder.commit(
        id,
        (tx) =>
          tx.missionMilestone
            .update({ where: { missionId_key: { missionId: id, key: m.key } }, data: { status: "review" } })
            .then(() => {}),
        [{ type: "milestone-review", text: `${m.title} is done and waits for review: seal it to go on.`, milestoneKey: m.key }],
      );
      await recorder.notify(id, "Milestone needs review", `${view.title}: ${m.title}`).catch(() => {});
      return true;
    }
  }
  const activate = view.milestones.filter((m) => m.status === "pending" && open.has(m.key)).map((m) => m.key);
  if (!activate.length) return false;
  await recorder.commit(
    id,
    (tx) => tx.missionMilestone.updateMany({ where: { missionId: id, key: { in: activate } }, data: { status: "active" } }).then(() => {}),
    [],
  );
  return true;
}
