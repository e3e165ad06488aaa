import fs from "node:fs";
import path from "node:path";
import { missionRefId } from "../../../lib/missions/ids";
import { parsePlan } from "../../../lib/missions/plan";
import { DEFAULT_CONCURRENCY, WORKER_HELD_STATUSES, type FeatureStatus, type MissionStatus } from "../../../lib/missions/types";
import type { CreateMissionInput, UpdateFeatureInput, UpdateMissionInput } from "../../../lib/schemas/missions";
import { AppError } from "../../errors";
import { featureRows, milestoneRows } from "./plan-rows";
import type { MissionCtx } from "./store";
import type { LogInput } from "./types";
import { ancestors, applyReblock, nodesOf } from "./reblock";

const GONE = "That mission no longer exists.";
/** The status line of an approved mission whose start failed (approving it again retries). */
const START_FAILED = "Could not start:";

export function createLifecycle(ctx: MissionCtx) {
  const { db, store } = ctx;

  async function mission(missionId: string) {
    const m = await db.mission.findUnique({ where: { id: missionId } });
    if (!m) throw new AppError("NOT_FOUND", GONE);
    return m;
  }

  async function checkPool(pool: string[] | undefined) {
    if (!pool?.length) return;
    const found = await db.agent.findMany({ where: { id: { in: pool } }, select: { id: true } });
    const missing = pool.find((id) => !found.some((a) => a.id === id));
    if (missing) throw new AppError("BAD_INPUT", "An agent in the pool no longer exists: pick the pool again.", { field: "pool" });
  }

  /** The refIds this project already uses: its missions' and the folders under `.maestro/missions/` (made by the reference CLI, perhaps not imported). */
  async function usedRefIds(agentId: string, folder: string): Promise<Set<string>> {
    const rows = await db.mission.findMany({ where: { agentId }, select: { refId: true } });
    const used = new Set(rows.map((r) => r.refId));
    try {
      for (const name of fs.readdirSync(path.join(folder, ".maestro", "missions"))) used.add(name);
    } catch {
      // No `.maestro/missions/` yet: nothing on disk to avoid.
    }
    return used;
  }

  async function create(input: CreateMissionInput): Promise<{ id: string; refId: string }> {
    const agent = await db.agent.findUnique({ where: { id: input.agentId }, select: { id: true, folder: true } });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    const parsed = parsePlan(input.plan);
    if (!parsed.ok) {
      const [first, ...rest] = parsed.errors;
      throw new AppError("BAD_INPUT", first ?? "The plan is not valid.", rest.length ? { hint: rest.join("\n") } : {});
    }
    await checkPool(input.pool);
    const { plan } = parsed;
    const refId = missionRefId(plan.title, ctx.now(), await usedRefIds(agent.id, agent.folder));
    const assertionKeys = [...new Set(plan.features.flatMap((f) => f.fulfills))];
    const created = await db.$transaction(async (tx) => {
      const m = await tx.mission.create({
        data: {
          refId,
          agentId: agent.id,
          title: plan.title,
          description: plan.description,
          concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
          failurePolicy: input.failurePolicy ?? "continue",
          finishMode: input.finishMode ?? "pr",
          poolJson: JSON.stringify(input.pool ?? []),
          planJson: JSON.stringify(plan),
          milestones: { create: milestoneRows(plan) },
          features: { create: featureRows(plan) },
          assertions: { create: assertionKeys.map((key) => ({ key })) },
        },
      });
      const text = `Mission "${plan.title}" created as a draft: ${plan.milestones.length} milestone(s), ${plan.features.length} feature(s), ${assertionKeys.length} assertion(s).`;
      const event = await tx.missionEvent.create({
        data: { missionId: m.id, type: "mission-created", payload: JSON.stringify({ text, featureKey: null, milestoneKey: null }) },
      });
      return { id: m.id, event };
    });
    store.announce(created.id, [created.event]);
    return { id: created.id, refId };
  }

  async function update(input: UpdateMissionInput): Promise<void> {
    const m = await mission(input.missionId);
    if (m.status === "completed") throw new AppError("CONFLICT", "This mission is completed: there is nothing left to change.");
    await checkPool(input.pool);
    const parts = [
      input.concurrency !== undefined ? `concurrency ${input.concurrency}` : "",
      input.failurePolicy ? `on failure: ${input.failurePolicy}` : "",
      input.finishMode ? `finish: ${input.finishMode}` : "",
      input.pool ? `pool of ${input.pool.length} agent(s)` : "",
    ].filter(Boolean);
    if (parts.length === 0) return;
    await store.commit(
      m.id,
      async (tx) => {
        await tx.mission.update({
          where: { id: m.id },
          data: {
            ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
            ...(input.failurePolicy ? { failurePolicy: input.failurePolicy } : {}),
            ...(input.finishMode ? { finishMode: input.finishMode } : {}),
            ...(input.pool ? { poolJson: JSON.stringify(input.pool) } : {}),
          },
        });
      },
      [{ type: "mission-updated", text: `Settings changed: ${parts.join(", ")}.` }],
    );
    if (m.status === "executing") ctx.executor().kick(m.id);
  }

  async function remove(missionId: string): Promise<void> {
    await mission(missionId);
    // Workers end before their rows go: a worker's last write must find its mission (or nothing).
    await ctx.executor().stop(missionId, "remove");
    await store.settled(missionId);
    await db.mission.delete({ where: { id: missionId } }).catch((err: unknown) => {
      if ((err as { code?: string }).code === "P2025") throw new AppError("NOT_FOUND", GONE);
      throw err;
    });
    store.changed(missionId);
  }

  /** Commits a status change checked inside the transaction (a concurrent change cannot slip between the check and the write). */
  async function transition(
    missionId: string,
    allowed: MissionStatus[],
    refuse: (status: string) => string,
    data: Record<string, unknown>,
    line: LogInput,
  ) {
    await store.commit(
      missionId,
      async (tx) => {
        const m = await tx.mission.findUniqueOrThrow({ where: { id: missionId }, select: { status: true } });
        if (!allowed.includes(m.status as MissionStatus)) throw new AppError("CONFLICT", refuse(m.status));
        await tx.mission.update({ where: { id: missionId }, data });
      },
      [line],
    );
  }

  async function approve(missionId: string): Promise<void> {
    await mission(missionId);
    // The claim is one conditional write, so of two approvals at once (a double tap) one reaches
    // start. "approved" with a start failure as its status line is approvable again: that retries.
    await store.commit(
      missionId,
      async (tx) => {
        const claimed = await tx.mission.updateMany({
          where: { id: missionId, OR: [{ status: "draft" }, { status: "approved", statusDetail: { startsWith: START_FAILED } }] },
          data: { status: "approved", statusDetail: "", approvedAt: ctx.now() },
        });
        if (claimed.count === 1) return;
        const { status } = await tx.mission.findUniqueOrThrow({ where: { id: missionId }, select: { status: true } });
        throw new AppError(
          "CONFLICT",
          status === "approved" ? "Already approved." : `Approve works on a draft; this mission is ${status}.`,
        );
      },
      [{ type: "mission-approved", text: "Approved: starting the ready features." }],
    );
    try {
      await ctx.executor().start(missionId);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const log: LogInput[] = [];
      await store
        .commit(
          missionId,
          async (tx) => {
            // Paused or removed meanwhile: that status stands, and so does its log.
            const m = await tx.mission.findUniqueOrThrow({ where: { id: missionId }, select: { status: true } });
            if (m.status !== "approved") return;
            await tx.mission.update({ where: { id: missionId }, data: { statusDetail: `${START_FAILED} ${why}` } });
            log.push({ type: "mission-start-failed", text: `${START_FAILED} ${why} Fix it and approve again.` });
          },
          log,
        )
        .catch(() => undefined);
      throw err;
    }
  }

  async function pause(missionId: string, reason?: string): Promise<void> {
    await mission(missionId);
    await transition(
      missionId,
      ["executing", "approved"],
      (s) => `Pause works on an executing mission; this one is ${s}.`,
      { status: "paused", statusDetail: reason ?? "Paused by you." },
      {
        type: "mission-paused",
        text: reason ? `Paused: ${reason}` : "Paused by you: running workers stop, their features go back to pending.",
      },
    );
    await ctx.executor().stop(missionId, "pause");
  }

  async function resume(missionId: string): Promise<void> {
    const m = await mission(missionId);
    // Never started (paused before its branch was made): it starts as an approval would.
    const fresh = !m.branch;
    await transition(
      missionId,
      ["paused"],
      (s) => `Resume works on a paused mission; this one is ${s}.`,
      { status: fresh ? "approved" : "executing", statusDetail: "" },
      { type: "mission-resumed", text: "Resumed." },
    );
    if (fresh) await ctx.executor().start(missionId);
    else ctx.executor().kick(missionId);
  }

  /** A feature change checked and written in one transaction, then the executor looks at the mission again. */
  async function featureChange(
    missionId: string,
    featureKey: string,
    decide: (
      feature: { status: string },
      running: boolean,
    ) => { status: FeatureStatus; detail: string; extra?: Record<string, unknown>; alsoRetry?: boolean },
    line: (from: string, to: FeatureStatus) => string,
  ) {
    const m = await mission(missionId);
    const running = ctx.executor().running(missionId).includes(featureKey);
    const log: LogInput[] = [];
    await store.commit(
      missionId,
      async (tx) => {
        const f = await tx.missionFeature.findUnique({ where: { missionId_key: { missionId, key: featureKey } } });
        if (!f) throw new AppError("NOT_FOUND", `No feature "${featureKey}" in this mission.`);
        const next = decide(f, running || f.status === "in-progress");
        const ends = next.status === "done" || next.status === "failed" || next.status === "skipped";
        await tx.missionFeature.update({
          where: { id: f.id },
          data: { status: next.status, statusDetail: next.detail, ...(ends ? { endedAt: ctx.now() } : {}), ...next.extra },
        });
        log.push({ type: "feature-updated", text: line(f.status, next.status), featureKey });
        let nodes = (await nodesOf(tx, missionId)).map((n) => (n.key === featureKey ? { ...n, status: next.status } : n));
        if (next.alsoRetry) {
          // A blocked feature is retried with the failures it waits behind.
          const behind = [...ancestors(nodes, featureKey)].filter((k) => nodes.find((n) => n.key === k)?.status === "failed");
          const busyOne = behind.find((k) => ctx.executor().running(missionId).includes(k));
          if (busyOne) throw new AppError("CONFLICT", busy(busyOne));
          if (behind.length) {
            await tx.missionFeature.updateMany({
              where: { missionId, key: { in: behind } },
              data: { status: "pending", statusDetail: "" },
            });
            log.push({ type: "feature-updated", text: `Retry: ${behind.join(", ")} (failed) go back to pending.` });
            nodes = nodes.map((n) => (behind.includes(n.key) ? { ...n, status: "pending" } : n));
          }
        }
        await applyReblock(tx, missionId, nodes, log);
      },
      log,
    );
    if (m.status === "executing") ctx.executor().kick(missionId);
  }

  const busy = (key: string) => `A worker is running "${key}": pause the mission first.`;

  /** Retry and Skip act only on a failed or blocked feature that no worker holds. */
  function onlyWhenStuck(action: "Retry" | "Skip", key: string, status: string, running: boolean) {
    if (running) throw new AppError("CONFLICT", busy(key));
    if (status !== "failed" && status !== "blocked")
      throw new AppError("CONFLICT", `${action} works on a failed or blocked feature; "${key}" is ${status}.`);
  }

  function retryFeature(input: { missionId: string; featureKey: string }) {
    return featureChange(
      input.missionId,
      input.featureKey,
      (f, running) => {
        onlyWhenStuck("Retry", input.featureKey, f.status, running);
        return { status: "pending", detail: "", alsoRetry: f.status === "blocked" };
      },
      (from) => `Retry: "${input.featureKey}" (${from}) goes back to pending.`,
    );
  }

  function skipFeature(input: { missionId: string; featureKey: string }) {
    return featureChange(
      input.missionId,
      input.featureKey,
      (f, running) => {
        onlyWhenStuck("Skip", input.featureKey, f.status, running);
        return { status: "skipped", detail: "Skipped by you: its dependents may run." };
      },
      () => `Skipped "${input.featureKey}": its dependents may run; its assertions stay as they are.`,
    );
  }

  async function reassignFeature(input: { missionId: string; featureKey: string; agentId: string }) {
    const agent = await db.agent.findUnique({ where: { id: input.agentId }, select: { name: true } });
    if (!agent) throw new AppError("BAD_INPUT", "That agent no longer exists: pick another.", { field: "agentId" });
    return featureChange(
      input.missionId,
      input.featureKey,
      (f, running) => {
        if (running) throw new AppError("CONFLICT", busy(input.featureKey));
        if (f.status === "done" || f.status === "skipped")
          throw new AppError("CONFLICT", `"${input.featureKey}" is ${f.status}: there is nothing left to reassign.`);
        const again = f.status === "failed" || f.status === "blocked";
        return { status: again ? "pending" : (f.status as FeatureStatus), detail: "", extra: { agentId: input.agentId } };
      },
      (from, to) => `Reassigned "${input.featureKey}" to ${agent.name}${from !== to ? `; it goes back to ${to}` : ""}.`,
    );
  }

  function updateFeature(input: UpdateFeatureInput) {
    // "review" (the reference's hand-set status) waits on a worker's verification, and no worker runs it: pending, the mission runs it again.
    const held = WORKER_HELD_STATUSES.includes(input.status);
    return featureChange(
      input.missionId,
      input.featureKey,
      (_f, running) => {
        if (running) throw new AppError("CONFLICT", busy(input.featureKey));
        if (input.status === "in-progress")
          throw new AppError("BAD_INPUT", "Only a worker puts a feature in progress: set it to pending and the mission starts it.");
        return held ? { status: "pending", detail: "" } : { status: input.status, detail: input.note?.trim() || "Set by you." };
      },
      (from, to) =>
        `"${input.featureKey}": ${from} → ${to} (by you${held ? `; ${input.status} needs a running worker, so it is pending and the mission runs it again` : ""})${input.note?.trim() ? `: ${input.note.trim()}` : ""}.`,
    );
  }

  return { create, update, remove, approve, pause, resume, retryFeature, skipFeature, reassignFeature, updateFeature };
}
