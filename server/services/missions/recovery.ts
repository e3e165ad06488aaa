import { runGit } from "../git/run-git";
import type { ExecCtx } from "./executor";
import { mergedCommitOf } from "./merge";

/**
 * After a restart (the bridge was killed mid-mission): executing missions come back paused; a
 * feature cut off in progress goes back to pending, one cut off in review stays there (Resume
 * verifies and merges its work), unless its branch is already merged into the mission branch
 * (then it is done, with that merge): nothing is done twice. A
 * merge the kill left half-made in the mission's worktree is aborted.
 */
export async function recoverMissions(ctx: ExecCtx, detail: string): Promise<void> {
  const { db } = ctx.deps;
  const cut = await db.missionFeature.findMany({ where: { status: { in: ["in-progress", "review"] } }, select: { missionId: true } });
  const executing = await db.mission.findMany({ where: { status: "executing" }, select: { id: true } });
  const ids = new Set([...executing.map((m) => m.id), ...cut.map((f) => f.missionId)]);
  for (const id of ids) {
    const view = await ctx.recorder.view(id).catch(() => null);
    if (!view) continue;
    const missionFolder = view.missionAgentId
      ? (await db.agent.findUnique({ where: { id: view.missionAgentId }, select: { folder: true } }))?.folder
      : null;
    if (
      missionFolder &&
      (await runGit(["rev-parse", "-q", "--verify", "MERGE_HEAD"], { cwd: missionFolder }).catch(() => null))?.code === 0
    )
      await runGit(["merge", "--abort"], { cwd: missionFolder }).catch(() => null);
    const decided: { key: string; title: string; sha: string | null; review: boolean }[] = [];
    for (const f of view.features.filter((x) => x.status === "in-progress" || x.status === "review")) {
      const sha = view.branch && f.branch ? await mergedCommitOf(view.folder, view.branch, f.branch).catch(() => null) : null;
      // Its turn had ended (its work is in its worktree): Resume reviews it again, never reruns the turn.
      decided.push({ key: f.key, title: f.title, sha, review: f.status === "review" && !!f.worktreeAgentId });
    }
    await ctx.recorder.commit(
      id,
      async (tx) => {
        for (const d of decided)
          await tx.missionFeature.update({
            where: { missionId_key: { missionId: id, key: d.key } },
            data: d.sha
              ? { status: "done", statusDetail: "", mergedSha: d.sha, endedAt: new Date() }
              : d.review
                ? { status: "review", statusDetail: "Cut off by a bridge restart while verifying: Resume verifies and merges it." }
                : { status: "pending", statusDetail: "Cut off by a bridge restart: it runs again on Resume." },
          });
        if (view.status === "executing") await tx.mission.update({ where: { id }, data: { status: "paused", statusDetail: detail } });
      },
      [
        ...decided.map((d) =>
          d.sha
            ? { type: "feature-done", text: `${d.title} was already merged (${d.sha.slice(0, 8)}): done.`, featureKey: d.key }
            : d.review
              ? {
                  type: "feature-stopped",
                  text: `${d.title} was cut off by a restart while verifying; Resume verifies and merges it.`,
                  featureKey: d.key,
                }
              : { type: "feature-stopped", text: `${d.title} was cut off by a restart; it goes back to pending.`, featureKey: d.key },
        ),
        ...(view.status === "executing" ? [{ type: "mission-paused", text: detail }] : []),
      ],
    );
  }
}
