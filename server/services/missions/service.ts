import fs from "node:fs/promises";
import path from "node:path";
import type { ImportedHandoff, ImportedMission, MissionFilesInput } from "../../../lib/missions/layout";
import type { MemoryEntry } from "../../../lib/missions/memory";
import { workerPrompt } from "../../../lib/missions/prompt";
import type { HandoffView, MemoryView } from "../../../lib/missions/types";
import type { Db } from "../../db";
import { AppError, errorText } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import { createAssertions } from "./assertions";
import { createCheckpoints } from "./checkpoints";
import { missionControl } from "./control";
import { createHandoffs, viewOf } from "./handoffs";
import { createImport } from "./import";
import { createLifecycle } from "./lifecycle";
import { createMemory } from "./memory";
import { createMissionStore, type MissionCtx } from "./store";
import type { MissionExecutor, MissionRecorder, MissionService } from "./types";
import { HANDOFF_COMMAND } from "./worker";

/** What the service reads and writes under a project's `.maestro/` (server/services/missions/disk.ts, adapted in services/index.ts). */
export interface MissionDisk {
  /** Rewrites `missions/<refId>/` (lib/missions/layout.ts `missionFiles`). */
  writeTree(folder: string, tree: MissionFilesInput): Promise<void>;
  /** Writes `missions/<refId>/workers/<feature>/prompt.md`; returns its path. */
  writePrompt(folder: string, refId: string, featureKey: string, prompt: string): Promise<string>;
  writeMemory(folder: string, entries: MemoryView[]): Promise<void>;
  /** Writes `handoffs/<id>.json` of a handoff that is no mission's (a mission's go with its tree). */
  writeHandoff?(folder: string, handoff: HandoffView): Promise<void>;
  /** Every mission under `missions/`; one that cannot be read is skipped with the reason. */
  scanMissionTrees(folder: string): Promise<{ missions: ImportedMission[]; skipped: { refId: string; reason: string }[] }>;
  /** The project's `handoffs/` (missions' or not). */
  readHandoffs(folder: string): Promise<ImportedHandoff[]>;
  readMemory(folder: string): Promise<MemoryEntry[]>;
}

export interface MissionServiceDeps {
  db: Db;
  bus: Bus;
  logger: Logger;
  disk: MissionDisk;
  /** The executor, handed the recorder (services/index.ts passes server/services/missions/executor.ts's). */
  executor: (recorder: MissionRecorder) => MissionExecutor;
  /** How long changes gather before one `.maestro/` tree write (ms). */
  diskDebounceMs?: number;
  now?: () => Date;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Where a feature's worker prompt lives (the reference's layout). */
export function promptPath(folder: string, refId: string, featureKey: string): string {
  return path.join(folder, ".maestro", "missions", refId, "workers", featureKey, "prompt.md");
}

/**
 * The missions service (types.ts holds the contract): the store commits and logs every change,
 * lifecycle/assertions/checkpoints/handoffs/memory/import decide them, the executor runs approved
 * missions through the recorder built here.
 */
export function createMissionService(deps: MissionServiceDeps): MissionService & { endAgentMissions(agentId: string): Promise<void> } {
  const { db, bus, logger, disk } = deps;
  const now = deps.now ?? (() => new Date());
  let executor: MissionExecutor | null = null;
  const store = createMissionStore({ db, bus, logger, writeTree, diskDebounceMs: deps.diskDebounceMs });
  const ctx: MissionCtx = {
    db,
    bus,
    logger,
    store,
    now,
    executor: () => {
      if (!executor) throw new Error("missions: the executor is not built yet");
      return executor;
    },
  };
  const handoffs = createHandoffs(ctx, { writeHandoff: (folder, h) => disk.writeHandoff?.(folder, h) ?? Promise.resolve() });
  const memory = createMemory(ctx, { writeMemory: (folder, entries) => disk.writeMemory(folder, entries) });
  const checkpoints = createCheckpoints(ctx);
  const assertions = createAssertions(ctx, { checkpoint: (missionId, label) => checkpoints.save({ missionId, label }, "auto") });
  const lifecycle = createLifecycle(ctx);

  // The worker prompts as written (a prompt never changes once its feature ran): each tree
  // rewrite would otherwise read every one of them back from disk.
  const promptsKnown = new Map<string, string>();
  function knowPrompt(file: string, text: string) {
    promptsKnown.delete(file);
    promptsKnown.set(file, text);
    if (promptsKnown.size > 2000) promptsKnown.delete(promptsKnown.keys().next().value!);
  }

  async function writeTree(missionId: string): Promise<void> {
    const view = await store.view(missionId);
    const rows = await db.missionHandoff.findMany({ where: { missionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const saved = await db.missionCheckpoint.findMany({ where: { missionId }, orderBy: { createdAt: "asc" } });
    // The prompts written so far go into the tree again (a rewrite removes the files it no longer lists).
    const prompts: Record<string, string> = {};
    for (const f of view.features) {
      const file = promptPath(view.folder, view.refId, f.key);
      const text = promptsKnown.get(file) ?? (await fs.readFile(file, "utf8").catch(() => null));
      if (text === null) continue;
      knowPrompt(file, text);
      prompts[f.key] = text;
    }
    await disk.writeTree(view.folder, {
      view,
      handoffs: rows.map(viewOf),
      checkpoints: saved.map((c) => ({
        id: c.id,
        label: c.label,
        reason: c.reason,
        createdAt: c.createdAt.toISOString(),
        snapshot: parseJson(c.snapshot),
      })),
      prompts,
    });
  }

  const recorder: MissionRecorder = {
    commit: (missionId, change, log) => store.commit(missionId, change, log),
    view: (missionId) => store.view(missionId),
    guidance: (folder) => memory.guidance(folder),
    handoffsOf: (missionId, keys) => handoffs.handoffsOf(missionId, keys),
    createHandoff: (input) => handoffs.createForFeature(input),
    checkpoint: async (missionId, label) => {
      await checkpoints.save({ missionId, label }, "auto");
    },
    async writePrompt(missionId, featureKey, prompt) {
      const m = await db.mission.findUnique({ where: { id: missionId }, select: { refId: true, agent: { select: { folder: true } } } });
      if (!m) throw new AppError("NOT_FOUND", "That mission no longer exists.");
      const file = await disk.writePrompt(m.agent.folder, m.refId, featureKey, prompt);
      knowPrompt(promptPath(m.agent.folder, m.refId, featureKey), prompt);
      return file;
    },
    async notify(missionId, title, body) {
      const m = await db.mission.findUnique({ where: { id: missionId }, select: { agentId: true } });
      if (!m) return;
      bus.publish("notify", {
        kind: "mission",
        agentId: m.agentId,
        title,
        body,
        url: `/missions/${missionId}`,
        tag: `mission:${missionId}`,
      });
    },
  };
  executor = deps.executor(recorder);
  const imports = createImport(ctx, { disk, handoffs, memory });

  /** The prompt the feature ran with, or (not run yet) the one it would run with now. */
  async function featurePrompt(input: { missionId: string; featureKey: string }) {
    const view = await store.view(input.missionId);
    const feature = view.features.find((f) => f.key === input.featureKey);
    if (!feature) throw new AppError("NOT_FOUND", `No feature "${input.featureKey}" in this mission.`);
    const file = promptPath(view.folder, view.refId, feature.key);
    const stored = await fs.readFile(file, "utf8").catch(() => null);
    if (stored !== null) return { prompt: stored, path: file };
    const milestone = view.milestones.find((m) => m.key === feature.milestoneKey);
    const deps = await handoffs.handoffsOf(view.id, feature.dependsOn);
    const prompt = workerPrompt({
      mission: { refId: view.refId, title: view.title, description: view.description },
      milestone: { key: feature.milestoneKey, title: milestone?.title ?? feature.milestoneKey, kind: milestone?.kind ?? "work" },
      feature,
      dependencies: feature.dependsOn.map((key) => {
        const h = deps.find((d) => d.featureKey === key);
        const title = view.features.find((f) => f.key === key)?.title ?? key;
        return { featureKey: key, title, uki: h?.uki ?? "", summary: typeof h?.fields.summary === "string" ? h.fields.summary : "" };
      }),
      guidance: await memory.guidance(view.folder),
      cli: { handoffCommand: HANDOFF_COMMAND },
    });
    return { prompt, path: file };
  }

  /** Deleting a project agent: its missions' workers stop before its rows (and theirs) cascade away. */
  async function endAgentMissions(agentId: string): Promise<void> {
    const missions = await db.mission.findMany({ where: { agentId }, select: { id: true } });
    for (const m of missions) {
      await ctx
        .executor()
        .stop(m.id, "remove")
        .catch((err: unknown) => logger.error(`missions: stopping ${m.id} before its agent was deleted failed: ${errorText(err)}`));
      await store.settled(m.id);
    }
  }

  return {
    list: (input) => store.list(input),
    get: (missionId) => store.view(missionId),
    ...lifecycle,
    featurePrompt,
    setAssertion: assertions.setAssertion,
    sealMilestone: assertions.sealMilestone,
    checkpoints: checkpoints.list,
    saveCheckpoint: (input) => checkpoints.save(input),
    restoreCheckpoint: checkpoints.restore,
    handoffs: handoffs.list,
    handoff: handoffs.get,
    createHandoff: handoffs.create,
    importHandoff: handoffs.importUki,
    pickupHandoff: handoffs.pickup,
    claimHandoff: handoffs.claim,
    completeHandoff: handoffs.complete,
    memory: memory.list,
    addMemory: memory.add,
    updateMemory: memory.update,
    removeMemory: memory.remove,
    compileMemory: memory.compile,
    importDisk: imports.importDisk,
    missionControl: (input) => missionControl(db, store, input ?? {}),
    log: (input) => store.log(input),
    pagesAfter: (missionId, afterId) => store.pagesAfter(missionId, afterId),
    endAgentMissions,
    recoverInterrupted: () => ctx.executor().recover(),
    async shutdown() {
      await ctx
        .executor()
        .shutdown()
        .catch((err: unknown) => logger.error(`missions: executor shutdown: ${errorText(err)}`));
      await store.shutdown();
    },
  };
}
