import { handoffFromReply } from "../../../lib/missions/handoff";
import { WORKER_HEADINGS, workerPrompt } from "../../../lib/missions/prompt";
import { missionBranches } from "../../../lib/missions/rules";
import type { FeatureView, HandoffFields, MissionView } from "../../../lib/missions/types";
import type { ExecCtx, Worker } from "./executor";
import { runGit } from "../git/run-git";
import { catchUpFeature, commitWorktree, mergeFeature, touchedFiles, unmergedPaths, unresolved } from "./merge";
import { dropUnusedWorktree } from "./tidy";
import { verifyFeature } from "./verify";

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The CLI command a worker runs to leave its own handoff (MAESTRO_CLI is set in a turn's environment). */
export const HANDOFF_COMMAND = 'node "$MAESTRO_CLI" handoff create';

// Worktrees of one repository are made one at a time (as Auto Run's are): two made together can
// find the same name free, and git's own locks refuse the second.
const making = new Map<string, Promise<unknown>>();
function oneAtATime<T>(repo: string, job: () => Promise<T>): Promise<T> {
  const next = (making.get(repo) ?? Promise.resolve()).then(job, job);
  const settled = next.catch(() => {});
  making.set(repo, settled);
  void settled.then(() => making.get(repo) === settled && making.delete(repo));
  return next;
}

/**
 * The feature's own worktree: the one made ahead of time or by an earlier attempt (kept), else a
 * new one on the feature's branch from the mission branch's tip. A kept one is brought up to the
 * mission branch (catchUpFeature): `conflicts` names the files a retry's worker must resolve.
 * One kept for another agent (the feature was reassigned) is left, and the new one's branch gets
 * a suffix.
 */
export async function worktreeOf(ctx: ExecCtx, view: MissionView, key: string, agentId: string) {
  const { db, worktrees } = ctx.deps;
  const row = await db.missionFeature.findUnique({
    where: { missionId_key: { missionId: view.id, key } },
    select: { worktreeAgentId: true },
  });
  const kept = row?.worktreeAgentId
    ? await db.agent.findUnique({
        where: { id: row.worktreeAgentId },
        select: { id: true, folder: true, worktreeBranch: true, parentId: true },
      })
    : null;
  if (kept?.worktreeBranch && kept.parentId === agentId) {
    const { conflicts } = await catchUpFeature(kept.folder, view.branch ?? "");
    return { id: kept.id, folder: kept.folder, branch: kept.worktreeBranch, conflicts };
  }
  // Kept for another agent (its pool agent deleted or out of the pool): gone if it holds no work.
  if (kept) await dropUnusedWorktree(ctx, view, kept.id);
  const base = missionBranches(
    view.refId,
    view.features.map((x) => x.key),
  ).features.get(key)!;
  const made = await oneAtATime(view.folder, async () => {
    let branch = base;
    for (let n = 2; (await runGit(["show-ref", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: view.folder })).code === 0; n++)
      branch = `${base}-${n}`;
    return worktrees.create({ parentId: agentId, branch, base: view.branch, name: `${view.refId} · ${key}` });
  });
  const branch = made.agent.worktreeBranch ?? base;
  // Not the feature's agentId: that is a reassignment the scheduler honours (and the launch's claim writes it).
  await ctx.update(view.id, key, { worktreeAgentId: made.agent.id, branch }, []);
  return { id: made.agent.id, folder: made.agent.folder, branch, conflicts: [] as string[] };
}

/** The worker prompt's section for a retry whose branch conflicts with the mission branch, before its working rules. */
function withConflicts(prompt: string, conflicts: string[], missionBranch: string): string {
  if (!conflicts.length) return prompt;
  const section = [
    "## Merge Conflicts",
    "",
    `Your branch already holds an earlier attempt's work; ${missionBranch} was merged into it to bring in what was merged since, and it conflicts.`,
    `First resolve the conflicts in ${conflicts.join(", ")}: keep what both sides meant and remove every conflict marker (<<<<<<<, =======, >>>>>>>). Then finish the feature.`,
    "",
  ];
  const at = prompt.lastIndexOf(`${WORKER_HEADINGS.rules}\n`);
  return at < 0 ? `${prompt}\n${section.join("\n")}` : `${prompt.slice(0, at)}${section.join("\n")}\n${prompt.slice(at)}`;
}

/**
 * Whether the worker stopped for a pause, a removal or a shutdown. Its feature goes back to
 * pending (its worktree kept); one whose turn had ended (`reviewing`: its work is in the
 * worktree) stays in review, and Resume only verifies and merges it: the turn is not paid twice.
 */
async function stoppedBack(ctx: ExecCtx, view: MissionView, f: FeatureView, w: Worker, reviewing = false): Promise<boolean> {
  if (!w.stopping) return false;
  const data = reviewing
    ? { status: "review", statusDetail: `Stopped (${w.stopping}) while verifying: Resume verifies and merges it.` }
    : { status: "pending", statusDetail: `Stopped (${w.stopping}): it runs again on Resume.`, endedAt: new Date() };
  const text = reviewing
    ? `${f.title} stopped (${w.stopping}) while verifying; Resume verifies and merges its work (its turn is not run again).`
    : `${f.title} stopped (${w.stopping}); it goes back to pending.`;
  await ctx.update(view.id, f.key, data, [{ type: "feature-stopped", text, featureKey: f.key }]).catch(() => {});
  return true;
}

const firstParagraph = (text: string) =>
  text
    .trim()
    .split(/\n\s*\n/)[0]
    ?.slice(0, 2000) ?? "";

/**
 * One attempt at a feature: its worktree, a fresh tab and session, the worker prompt, the turn;
 * then review (reviewFeature). Any failure fails the feature with the reason.
 */
export async function runFeature(ctx: ExecCtx, view: MissionView, f: FeatureView, w: Worker, startedAt: Date): Promise<void> {
  const { recorder, deps } = ctx;
  const missionId = view.id;
  let reviewing = false;
  try {
    // A worktree being made ahead of time for this feature is waited for, then used.
    await ctx.prepared(missionId, f.key);
    const wt = await worktreeOf(ctx, view, f.key, w.agentId);
    // The project's worktree setup script (dependencies, .env) runs first, as for any worktree agent.
    const setup = await deps.worktrees.setupFinished(wt.id);
    if (setup?.status === "failed")
      return await ctx.fail(missionId, f.key, `The worktree's setup script failed: ${setup.error ?? "no reason given"}`);
    const tab = await deps.tabs.create(wt.id, `Mission ${view.refId} · ${f.key}`.slice(0, 100));
    w.tabId = tab.id;
    const handoffs = await recorder.handoffsOf(missionId, f.dependsOn);
    const dependencies = f.dependsOn.map((key) => {
      const h = handoffs.find((x) => x.featureKey === key);
      return {
        featureKey: key,
        title: view.features.find((x) => x.key === key)?.title ?? key,
        uki: h?.uki ?? "",
        summary: typeof h?.fields.summary === "string" ? h.fields.summary : "",
      };
    });
    const milestone = view.milestones.find((m) => m.key === f.milestoneKey);
    const base = workerPrompt({
      mission: { refId: view.refId, title: view.title, description: view.description },
      milestone: { key: f.milestoneKey, title: milestone?.title ?? f.milestoneKey, kind: milestone?.kind ?? "work" },
      feature: { key: f.key, title: f.title, description: f.description, verificationSteps: f.verificationSteps, fulfills: f.fulfills },
      dependencies,
      guidance: await recorder.guidance(view.folder),
      cli: { handoffCommand: deps.handoffCommand ?? HANDOFF_COMMAND },
    });
    const prompt = withConflicts(base, wt.conflicts, view.branch ?? "the mission branch");
    // prompt.md is the record of what the worker got (the turn itself is given the prompt): it is
    // written while the turn starts and runs, and a failed write is logged, not the feature's failure.
    const promptSaved = recorder
      .writePrompt(missionId, f.key, prompt)
      .then(() => {})
      .catch((err: unknown) => deps.logger.error(`mission ${missionId}: writing ${f.key}'s prompt.md: ${messageOf(err)}`));
    await ctx.update(missionId, f.key, { worktreeAgentId: wt.id, branch: wt.branch, tabId: tab.id }, []);
    if (await stoppedBack(ctx, view, f, w)) return;

    const turn = await deps.turns.start({ tabId: tab.id, prompt, origin: "mission", freshSession: true });
    // A stop that came while the turn was being started.
    if (w.stopping) void deps.turns.stop(tab.id);
    await ctx.update(missionId, f.key, { turnId: turn.turnId }, []);
    const o = await turn.outcome;
    await promptSaved;
    const spent = {
      inputTokens: { increment: o.inputTokens },
      outputTokens: { increment: o.outputTokens },
      costUsd: { increment: o.costUsd },
      durationMs: { increment: o.durationMs },
    };
    if (w.stopping || o.status !== "done") await ctx.update(missionId, f.key, spent, []);
    if (await stoppedBack(ctx, view, f, w)) return;
    if (o.status !== "done") {
      const why = o.status === "stopped" ? "The worker was stopped." : (o.errorMessage ?? "The worker's turn failed.");
      return await ctx.fail(missionId, f.key, `${why}`);
    }

    await ctx.update(missionId, f.key, { ...spent, status: "review", statusDetail: "Verifying." }, [
      { type: "feature-review", text: `${f.title}: the worker finished; committing and verifying.`, featureKey: f.key },
    ]);
    reviewing = true;
    await reviewFeature(ctx, view, f, w, wt, o.reply.text, startedAt);
  } catch (err) {
    if (await stoppedBack(ctx, view, f, w, reviewing)) return;
    await ctx.fail(missionId, f.key, messageOf(err));
  }
}

/**
 * A feature left in review (its turn ended, then a pause, a stop or a restart cut it off): its
 * work is in its worktree, so only its review runs again, never its turn.
 */
export async function resumeReview(ctx: ExecCtx, view: MissionView, f: FeatureView, w: Worker): Promise<void> {
  try {
    const row = f.worktreeAgentId
      ? await ctx.deps.db.agent.findUnique({ where: { id: f.worktreeAgentId }, select: { id: true, folder: true, worktreeBranch: true } })
      : null;
    if (!row?.worktreeBranch)
      return await ctx.fail(view.id, f.key, "Its worktree is gone, and its work with it: Retry runs the feature again.");
    const since = f.startedAt ? new Date(f.startedAt) : new Date(0);
    await reviewFeature(ctx, view, f, w, { folder: row.folder, branch: row.worktreeBranch, conflicts: [] }, null, since);
  } catch (err) {
    if (await stoppedBack(ctx, view, f, w, true)) return;
    await ctx.fail(view.id, f.key, messageOf(err));
  }
}

/**
 * Review: the worktree committed, a handoff (the worker's own, else one from its reply), the
 * verification commands run for real as the evidence of its assertions, and the merge into the
 * mission branch. `reply` is null when the turn ended before a restart (its handoff says what it did).
 */
async function reviewFeature(
  ctx: ExecCtx,
  view: MissionView,
  f: FeatureView,
  w: Worker,
  wt: { folder: string; branch: string; conflicts: string[] },
  reply: string | null,
  startedAt: Date,
): Promise<void> {
  const { recorder, deps } = ctx;
  const missionId = view.id;
  // The merge of the mission branch left for the worker is committed only once it is resolved.
  const suspects = [...new Set([...wt.conflicts, ...(await unmergedPaths(wt.folder))])];
  const left = await unresolved(wt.folder, suspects);
  if (left.length) return await ctx.fail(missionId, f.key, `The worker left conflict markers in ${left.join(", ")}.`);
  await commitWorktree(wt.folder, `${f.key}: ${f.title}`.slice(0, 200));
  // The handoff (the worker's own, else one from its reply) is made while the verification runs:
  // both must be over before the feature is done and its dependents start.
  const ownOf = async () =>
    (await recorder.handoffsOf(missionId, [f.key])).find((h) => new Date(h.createdAt).getTime() >= startedAt.getTime());
  const handoff = (async () => {
    const [touched, found] = await Promise.all([touchedFiles(wt.folder, view.branch ?? ""), ownOf()]);
    if (found) return found;
    const h = handoffFromReply(reply ?? "", { key: f.key, title: f.title }, touched);
    await recorder.createHandoff({ missionId, featureKey: f.key, fields: h as unknown as HandoffFields });
    return null;
  })();
  // Not left unhandled while the verification runs; awaited (and thrown) below.
  handoff.catch(() => {});

  const v = await verifyFeature(f.verificationSteps, wt.folder, { timeoutMs: deps.verifyTimeoutMs, signal: w.abort.signal });
  const own = await handoff;
  if (await stoppedBack(ctx, view, f, w, true)) return;
  const summary = reply !== null ? firstParagraph(reply) : typeof own?.fields.summary === "string" ? own.fields.summary : "";
  const byVerifier = v.commands > 0;
  const evidence = byVerifier ? v.evidence : `The worker reported: ${summary || "(no reply text)"}`;
  const status = v.passed ? "passed" : "failed";
  await recorder.commit(
    missionId,
    async (tx) => {
      for (const key of f.fulfills)
        await tx.missionAssertion.upsert({
          where: { missionId_key: { missionId, key } },
          create: { missionId, key, status, evidence, setBy: byVerifier ? "verifier" : "worker" },
          update: { status, evidence, setBy: byVerifier ? "verifier" : "worker" },
        });
    },
    [
      {
        type: "verification",
        text: byVerifier
          ? `${f.title}: ${v.passed ? "every verification command passed" : "verification failed"} (${v.commands} command${v.commands === 1 ? "" : "s"}).`
          : `${f.title}: no verification command; its assertions pass on the worker's report.`,
        featureKey: f.key,
      },
    ],
  );
  if (!v.passed) {
    const bad = v.steps.find((s) => !s.ok);
    const why = bad?.argv ? `${bad.argv.join(" ")} exited ${bad.code}` : (bad?.output ?? "a step failed");
    return await ctx.fail(missionId, f.key, `Verification failed: ${why}.`);
  }

  const missionFolder = view.missionAgentId
    ? (await deps.db.agent.findUnique({ where: { id: view.missionAgentId }, select: { folder: true } }))?.folder
    : null;
  if (!missionFolder) return await ctx.fail(missionId, f.key, "The mission's worktree is gone: its branch cannot take the merge.");
  const merged = await ctx.merging(missionId, () =>
    mergeFeature(missionFolder, wt.branch, `Merge feature ${f.key}: ${f.title}`.slice(0, 200)),
  );
  if (!merged.ok) return await ctx.fail(missionId, f.key, merged.message);
  await ctx.update(missionId, f.key, { status: "done", statusDetail: "", mergedSha: merged.sha, endedAt: new Date() }, [
    { type: "feature-done", text: `${f.title} is done and merged into ${view.branch} (${merged.sha.slice(0, 8)}).`, featureKey: f.key },
  ]);
}
