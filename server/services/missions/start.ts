import { missionBranches } from "../../../lib/missions/rules";
import { AppError } from "../../errors";
import type { ExecCtx } from "./executor";

/**
 * approved → executing: the mission branch from the project's current branch, with its own
 * worktree agent (made once: a resume or a retried approval finds them), then the first kick.
 */
export async function startMission(ctx: ExecCtx, missionId: string): Promise<void> {
  const view = await ctx.recorder.view(missionId);
  if (view.status !== "approved" && view.status !== "executing")
    throw new AppError("CONFLICT", `The mission is ${view.status}: only an approved mission starts.`);
  if (!view.branch || !view.missionAgentId) {
    const info = await ctx.deps.worktrees.info(view.agentId);
    if (!info.isRepo)
      throw new AppError(
        "BAD_INPUT",
        `${view.folder} is not a git repository: a mission works on branches. Run git init and commit once, then approve again.`,
      );
    if (info.currentBranch === "HEAD")
      throw new AppError("BAD_INPUT", `${view.folder} has no branch checked out (HEAD is detached): check one out, then approve again.`);
    const { mission } = missionBranches(
      view.refId,
      view.features.map((f) => f.key),
    );
    const made = await ctx.deps.worktrees.create({
      parentId: view.agentId,
      branch: mission,
      base: info.currentBranch,
      // The title first: in a sidebar the name is cut short, and every project numbers its
      // missions from 001, so the id alone tells one project's mission agents apart from nothing.
      // (Kept within an agent name's 80 characters.)
      name: `${view.title.length > 54 ? `${view.title.slice(0, 53).trimEnd()}…` : view.title} (mission ${view.refId})`,
    });
    await ctx.recorder.commit(
      missionId,
      (tx) =>
        tx.mission
          .update({
            where: { id: missionId },
            data: {
              baseBranch: info.currentBranch,
              branch: mission,
              missionAgentId: made.agent.id,
              status: "executing",
              statusDetail: "",
            },
          })
          .then(() => {}),
      [
        {
          type: "mission-started",
          text: `Running on ${mission} (from ${info.currentBranch}), up to ${view.concurrency} features at once.`,
        },
      ],
    );
  } else if (view.status === "approved") {
    await ctx.recorder.commit(
      missionId,
      (tx) => tx.mission.update({ where: { id: missionId }, data: { status: "executing", statusDetail: "" } }).then(() => {}),
      [{ type: "mission-started", text: `Running on ${view.branch}.` }],
    );
  }
  ctx.kick(missionId);
}
