import type { MissionView } from "../../../lib/missions/types";
import type { ExecCtx } from "./executor";

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
      warning = pr.reason || (prUrl ? null : "No pull request could be opened for this remote.");
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
}
