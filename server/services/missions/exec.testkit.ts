// Test-only: a small MissionRecorder over the real Prisma rows (the contract m-state's store
// implements), a mission made straight from a compact plan, and a git project, so the executor
// is tested with real SQLite, real git and the real simulator before (and apart from) the store.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type {
  AssertionStatus,
  FeatureStatus,
  HandoffView,
  MilestoneKind,
  MilestoneStatus,
  MissionLogEntry,
  MissionStatus,
  MissionView,
} from "../../../lib/missions/types";
import type { Db } from "../../db";
import { createTestServices, tempDir } from "../../testing/harness";
import { createMissionExecutor, type ExecutorDeps } from "./executor";
import type { MissionExecutor, MissionRecorder } from "./types";

const list = (s: string): string[] => JSON.parse(s) as string[];

export async function viewOf(db: Db, missionId: string): Promise<MissionView> {
  const m = await db.mission.findUniqueOrThrow({
    where: { id: missionId },
    include: {
      agent: true,
      milestones: { orderBy: { order: "asc" } },
      features: { orderBy: { sortOrder: "asc" } },
      assertions: true,
      events: { orderBy: { id: "desc" }, take: 1 },
    },
  });
  const features = m.features.map((f) => ({
    id: f.id,
    key: f.key,
    milestoneKey: f.milestoneKey,
    title: f.title,
    description: f.description,
    workerType: f.workerType,
    dependsOn: list(f.dependsOnJson),
    verificationSteps: list(f.verificationJson),
    fulfills: list(f.fulfillsJson),
    status: f.status as FeatureStatus,
    statusDetail: f.statusDetail,
    agentId: f.agentId,
    agentName: null,
    worktreeAgentId: f.worktreeAgentId,
    branch: f.branch,
    tabId: f.tabId,
    turnId: f.turnId,
    attempts: f.attempts,
    mergedSha: f.mergedSha,
    inputTokens: f.inputTokens,
    outputTokens: f.outputTokens,
    costUsd: f.costUsd,
    durationMs: f.durationMs,
    startedAt: f.startedAt?.toISOString() ?? null,
    endedAt: f.endedAt?.toISOString() ?? null,
  }));
  const sum = (k: "inputTokens" | "outputTokens" | "costUsd" | "durationMs") => features.reduce((n, f) => n + f[k], 0);
  return {
    id: m.id,
    refId: m.refId,
    agentId: m.agentId,
    agentName: m.agent.name,
    folder: m.agent.folder,
    title: m.title,
    description: m.description,
    status: m.status as MissionStatus,
    statusDetail: m.statusDetail,
    concurrency: m.concurrency,
    failurePolicy: m.failurePolicy as MissionView["failurePolicy"],
    finishMode: m.finishMode as MissionView["finishMode"],
    pool: list(m.poolJson),
    baseBranch: m.baseBranch,
    branch: m.branch,
    missionAgentId: m.missionAgentId,
    prUrl: m.prUrl,
    prVia: m.prVia,
    finishWarning: m.finishWarning,
    milestones: m.milestones.map((x) => ({
      id: x.id,
      key: x.key,
      title: x.title,
      description: x.description,
      order: x.order,
      kind: x.kind as MilestoneKind,
      profile: x.profile,
      status: x.status as MilestoneStatus,
      sealedAt: x.sealedAt?.toISOString() ?? null,
      sealedBy: x.sealedBy,
    })),
    features,
    assertions: m.assertions.map((a) => ({
      key: a.key,
      status: a.status as AssertionStatus,
      evidence: a.evidence,
      setBy: a.setBy,
      features: features.filter((f) => f.fulfills.includes(a.key)).map((f) => f.key),
      updatedAt: a.updatedAt.toISOString(),
    })),
    totals: { inputTokens: sum("inputTokens"), outputTokens: sum("outputTokens"), costUsd: sum("costUsd"), durationMs: sum("durationMs") },
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    approvedAt: m.approvedAt?.toISOString() ?? null,
    completedAt: m.completedAt?.toISOString() ?? null,
    lastEventId: m.events[0]?.id ?? 0,
  };
}

export interface TestRecorder extends MissionRecorder {
  notices: { missionId: string; title: string; body: string }[];
  prompts: Map<string, string>;
}

export function testRecorder(db: Db): TestRecorder {
  const notices: TestRecorder["notices"] = [];
  const prompts = new Map<string, string>();
  const handoffView = (h: {
    id: string;
    missionId: string | null;
    featureKey: string | null;
    status: string;
    claimedBy: string | null;
    fieldsJson: string;
    createdAt: Date;
  }): HandoffView => ({
    id: h.id,
    missionId: h.missionId,
    featureKey: h.featureKey,
    status: h.status as HandoffView["status"],
    claimedBy: h.claimedBy,
    fields: JSON.parse(h.fieldsJson) as Record<string, unknown>,
    uki: `UKI|SUMMARY-${(JSON.parse(h.fieldsJson) as { summary?: string }).summary ?? ""}`,
    createdAt: h.createdAt.toISOString(),
    pickedUpAt: null,
    completedAt: null,
  });
  return {
    notices,
    prompts,
    async commit(missionId, change, log) {
      const stored = await db.$transaction(async (tx) => {
        await change(tx);
        const out: MissionLogEntry[] = [];
        for (const l of log) {
          const e = await tx.missionEvent.create({ data: { missionId, type: l.type, payload: JSON.stringify(l) } });
          out.push({
            id: e.id,
            missionId,
            type: l.type,
            text: l.text,
            featureKey: l.featureKey ?? null,
            milestoneKey: l.milestoneKey ?? null,
            createdAt: e.createdAt.toISOString(),
          });
        }
        return out;
      });
      return stored;
    },
    view: (missionId) => viewOf(db, missionId),
    guidance: async () => "Keep changes small.",
    async handoffsOf(missionId, featureKeys) {
      const rows = await db.missionHandoff.findMany({
        where: { missionId, featureKey: { in: featureKeys } },
        orderBy: { createdAt: "desc" },
      });
      return rows.map(handoffView);
    },
    async createHandoff({ missionId, featureKey, fields }) {
      const m = await db.mission.findUniqueOrThrow({ where: { id: missionId }, include: { agent: true } });
      const row = await db.missionHandoff.create({
        data: {
          id: `h-${Math.random().toString(36).slice(2, 10)}`,
          folder: m.agent.folder,
          missionId,
          featureKey,
          fieldsJson: JSON.stringify(fields),
        },
      });
      return handoffView(row);
    },
    async checkpoint(missionId, label) {
      await db.missionCheckpoint.create({
        data: { id: `c-${Math.random().toString(36).slice(2, 10)}`, missionId, label, reason: "auto", snapshot: "{}" },
      });
    },
    async writePrompt(missionId, featureKey, prompt) {
      prompts.set(featureKey, prompt);
      return `workers/${featureKey}/prompt.md`;
    },
    async notify(missionId, title, body) {
      notices.push({ missionId, title, body });
    },
  };
}

export interface PlanFeature {
  key: string;
  milestone?: string;
  dependsOn?: string[];
  description?: string;
  verify?: string[];
}

/** A mission straight into the rows (approved), as m-state's create + approve leave it. */
export async function makeMission(
  db: Db,
  input: {
    agentId: string;
    features: PlanFeature[];
    milestones?: { key: string; kind?: MilestoneKind }[];
    concurrency?: number;
    failurePolicy?: "continue" | "stop";
    finishMode?: "pr" | "merge" | "none";
    pool?: string[];
  },
): Promise<string> {
  const milestones = input.milestones ?? [{ key: "m1" }];
  const m = await db.mission.create({
    data: {
      refId: `r${Math.random().toString(36).slice(2, 8)}`,
      agentId: input.agentId,
      title: "Test mission",
      status: "approved",
      concurrency: input.concurrency ?? 3,
      failurePolicy: input.failurePolicy ?? "continue",
      finishMode: input.finishMode ?? "none",
      poolJson: JSON.stringify(input.pool ?? []),
      approvedAt: new Date(),
      milestones: { create: milestones.map((x, i) => ({ key: x.key, title: `Milestone ${x.key}`, order: i + 1, kind: x.kind ?? "work" })) },
      features: {
        create: input.features.map((f, i) => ({
          key: f.key,
          milestoneKey: f.milestone ?? milestones[0]!.key,
          title: `Feature ${f.key}`,
          description: f.description ?? "",
          dependsOnJson: JSON.stringify(f.dependsOn ?? []),
          verificationJson: JSON.stringify(f.verify ?? []),
          fulfillsJson: JSON.stringify([`${f.key}-works`]),
          sortOrder: i,
        })),
      },
      assertions: { create: input.features.map((f) => ({ key: `${f.key}-works` })) },
    },
  });
  return m.id;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
export { git };

/** A repository with one commit on `main` and a git identity of its own. */
export function gitProject(prefix = "maestro-mission-"): string {
  const dir = fs.realpathSync(tempDir(prefix));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Test");
  git(dir, "config", "user.email", "test@example.invalid");
  fs.writeFileSync(path.join(dir, "README.md"), "# project\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "init");
  return dir;
}

/** The service graph with the simulator, and an executor around a test recorder. */
export function execWorld(options: Partial<Pick<ExecutorDeps, "verifyTimeoutMs">> = {}) {
  const services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
  const recorder = testRecorder(services.db);
  const executor: MissionExecutor = createMissionExecutor({
    db: services.db,
    turns: services.turns,
    tabs: services.tabs,
    worktrees: services.worktrees,
    finish: () => services.finish,
    logger: services.logger,
    ...options,
  })(recorder);
  return { services, recorder, executor };
}

/** Waits until `check` holds (polling the rows), or fails with what it last saw. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
    last = await read();
  }
  return last;
}

/**
 * Whether the features' workers really ran at the same time: their turns' own spans (the Turn
 * rows, made once the worktree and the tab exist) overlap, not only their scheduling.
 */
export async function turnsOverlap(db: Db, view: MissionView, a: string, b: string): Promise<boolean> {
  const span = async (key: string) => {
    const turnId = view.features.find((f) => f.key === key)?.turnId;
    if (!turnId) throw new Error(`${key} has no turn`);
    const t = await db.turn.findUniqueOrThrow({ where: { id: turnId }, select: { startedAt: true, endedAt: true } });
    if (!t.endedAt) throw new Error(`${key}'s turn has not ended`);
    return { start: t.startedAt.getTime(), end: t.endedAt.getTime() };
  };
  const [x, y] = [await span(a), await span(b)];
  return x.start < y.end && y.start < x.end;
}

/** execWorld whose executor removes feature worktrees as the bridge's does (tidy.ts). */
export function execWorldTidy() {
  const services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
  const recorder = testRecorder(services.db);
  const executor: MissionExecutor = createMissionExecutor({
    db: services.db,
    turns: services.turns,
    tabs: services.tabs,
    worktrees: services.worktrees,
    finish: () => services.finish,
    logger: services.logger,
    worktreeRemoval: services.worktreeCleanup,
  })(recorder);
  return { services, recorder, executor };
}
