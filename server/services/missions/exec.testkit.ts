// Test-only: a small MissionRecorder over the real Prisma rows (the contract m-state's store
// implements), a mission made straight from a compact plan, and a git project, so the executor
// is tested with real SQLite, real git and the real simulator before (and apart from) the store.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { MissionHandoff } from "../../../generated/prisma/client.ts";
import type { MilestoneKind, MissionLogEntry, MissionView } from "../../../lib/missions/types";
import type { Db } from "../../db";
import { createTestServices, tempDir } from "../../testing/harness";
import { createMissionExecutor, type ExecutorDeps } from "./executor";
import type { LogInput, MissionExecutor, MissionRecorder } from "./types";
import { handoffView, missionInclude, missionView } from "./views";

/** The view the store would show (views.ts over the same rows); worker names are left out (null). */
export async function viewOf(db: Db, missionId: string): Promise<MissionView> {
  const rows = await db.mission.findUniqueOrThrow({ where: { id: missionId }, include: missionInclude });
  const last = await db.missionEvent.findFirst({ where: { missionId }, orderBy: { id: "desc" }, select: { id: true } });
  return missionView(rows, new Map(), last?.id ?? 0);
}

export interface TestRecorder extends MissionRecorder {
  notices: { missionId: string; title: string; body: string }[];
  prompts: Map<string, string>;
}

export function testRecorder(db: Db): TestRecorder {
  const notices: TestRecorder["notices"] = [];
  const prompts = new Map<string, string>();
  // A stand-in for the UKI codec: the summary is all a worker's prompt needs of it.
  const toView = (row: MissionHandoff) => handoffView(row, (f) => `UKI|SUMMARY-${typeof f.summary === "string" ? f.summary : ""}`);
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
      return rows.map(toView);
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
      return toView(row);
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

type TestServices = ReturnType<typeof createTestServices>;

/** An executor over the test services' own pieces; `over` swaps one (a finish, a timeout). */
export function executorOn(
  services: TestServices,
  recorder: MissionRecorder,
  over: Partial<Pick<ExecutorDeps, "verifyTimeoutMs" | "finish" | "worktreeRemoval">> = {},
): MissionExecutor {
  return createMissionExecutor({
    db: services.db,
    turns: services.turns,
    tabs: services.tabs,
    worktrees: services.worktrees,
    finish: () => services.finish,
    logger: services.logger,
    ...over,
  })(recorder);
}

/** The service graph with the simulator, and an executor around a test recorder. */
export function execWorld(options: Partial<Pick<ExecutorDeps, "verifyTimeoutMs">> = {}) {
  const services = createTestServices({ turns: { idleTimeoutMs: 20_000, stopGraceMs: 300 } });
  const recorder = testRecorder(services.db);
  const executor = executorOn(services, recorder, options);
  return { services, recorder, executor };
}

export type ExecWorld = ReturnType<typeof execWorld>;

export const statusOf = (v: MissionView) => Object.fromEntries(v.features.map((f) => [f.key, f.status]));

/**
 * One world per test file (executor*.test.ts): made before its tests, removed after, with the
 * simulator's home and every git project a test made. `world` is read inside tests only.
 */
export function execSuite() {
  const simHome = tempDir("maestro-simhome-");
  const folders: string[] = [];
  let world: ExecWorld | undefined;
  beforeAll(() => {
    process.env.MAESTRO_SIM_HOME = simHome;
    delete process.env.MAESTRO_SIM_FAULT;
    world = execWorld();
  });
  afterAll(async () => {
    await world?.services.cleanup();
    for (const f of [...folders, simHome]) fs.rmSync(f, { recursive: true, force: true });
  });
  const w = () => world!;
  const view = (id: string) => viewOf(w().services.db, id);
  return {
    get world() {
      return w();
    },
    view,
    /** A git project to remove after the file (with its worktrees' folder). */
    gitFolder() {
      const folder = gitProject();
      folders.push(folder, `${folder}.worktrees`);
      return folder;
    },
    /** A git project and its simulator agent. */
    async project() {
      const folder = this.gitFolder();
      const agent = await w().services.agents.create({ name: `p-${path.basename(folder)}`, folder, provider: "simulator" });
      return { folder, agent };
    },
    /** Until the mission stops executing and no worker of it runs. */
    settled: (id: string) =>
      until(
        `mission ${id} to settle`,
        () => view(id),
        (v) => v.status !== "executing" && w().executor.running(id).length === 0,
      ),
    /** Until the mission's view passes `check`. */
    viewUntil: (id: string, what: string, check: (v: MissionView) => boolean) => until(what, () => view(id), check),
    /** What m-state's resume does: the mission back to executing (`data` set with it), then a kick. */
    async resume(id: string, data: { statusDetail?: string } = {}) {
      await w().services.db.mission.update({ where: { id }, data: { status: "executing", ...data } });
      w().executor.kick(id);
    },
    /**
     * Starts the mission and pauses it as a person's Pause heard on the bus would: the moment a
     * log line `when` matches is stored, the status is committed as lifecycle.pause does, then the
     * executor stops the mission's workers. Returns once the pause is through.
     */
    async startAndPauseWhen(id: string, what: string, when: (line: LogInput) => boolean) {
      const { recorder, executor } = w();
      const commit = recorder.commit.bind(recorder);
      const heard: { pausing: Promise<void> | null } = { pausing: null };
      recorder.commit = async (missionId, change, log) => {
        const out = await commit(missionId, change, log);
        if (missionId === id && !heard.pausing && log.some(when))
          heard.pausing = commit(
            id,
            (tx) => tx.mission.update({ where: { id }, data: { status: "paused", statusDetail: "Paused by you." } }).then(() => {}),
            [{ type: "mission-paused", text: "Paused by you." }],
          ).then(() => executor.stop(id, "pause"));
        return out;
      };
      try {
        await executor.start(id);
        await until(
          what,
          async () => heard.pausing,
          (p) => p !== null,
        );
        await heard.pausing;
      } finally {
        recorder.commit = commit;
      }
    },
  };
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
  const executor = executorOn(services, recorder, { worktreeRemoval: services.worktreeCleanup });
  return { services, recorder, executor };
}
