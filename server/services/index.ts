import path from "node:path";
import { prepareSpawnThread } from "./spawn-thread";
import { databaseFile, type Db } from "../db";
import { openFastDb } from "../db/fast";
import type { ServicesEnv } from "../env";
import { createAuthService } from "../auth/service";
import { createBus } from "../events/bus";
import { consoleLogger, type Logger } from "../logger";
import { createAgentRemoval } from "./agents/removal";
import { createAgentsService } from "./agents/service";
import { createWorktreesService } from "./git/worktrees";
import { createFinishService, type FinishDeps } from "./git/finish";
import { createBusyCheck } from "./git/folder-agents";
import { createWorktreeCleanup } from "./git/worktree-cleanup";
import { createWorktreeRemoval } from "./git/worktree-remove";
import { createGroupsService } from "./groups/service";
import { createProvidersService } from "./providers/service";
import { createSettingsService } from "./settings";
import { createCommandsService } from "./commands";
import { createFilesService } from "./files/service";
import { createSessionsService } from "./sessions/service";
import { createUploadsService } from "./uploads";
import { createHistoryService } from "./history/service";
import { createShareService } from "./share/service";
import { createDocumentsService } from "./autorun/documents";
import { createTabsService } from "./tabs/service";
import { createTerminalsService, type TerminalsOptions } from "./terminals/service";
import { createTurnsService, type TurnsDeps } from "./turns/service";
import { createApprovalsService, type ApprovalsDeps } from "./approvals/service";
import { createSubmit } from "./turns/submit";
import { createGroupChatService, type GroupChatDeps } from "./groupchat/service";
import { readHandoffs, readMemory, scanMissionTrees, writeHandoff, writeMemory, writeMissionTree, writePrompt } from "./missions/disk";
import { createMissionExecutor } from "./missions/executor";
import { recordMissionHistory } from "./missions/history";
import { createMissionService, type MissionServiceDeps } from "./missions/service";
import { createPushService, type PushDeps } from "./push/service";
import { createAutorunService } from "./autorun/runner";
import { createRunQueries } from "./autorun/run-queries";
import { createPlaybooksService } from "./autorun/playbooks";
import { createExchangeService, type ExchangeDeps } from "./autorun/exchange";
import { createSystemService } from "./system";
import { createGitStatusService } from "./git/status";
import { createTurnDiffService } from "./git/turn-diff";
import { createTunnelService, type TunnelDeps } from "./tunnel/service";
import { createDiffsService } from "./git/diff";
import { createLogService } from "./git/log";
import { VERSION } from "../version";

/** Everything the service graph is built from: where its data lives, the environment as read by env.ts, and test overrides. */
export interface ServicesConfig {
  dataDir: string;
  /** `readServicesEnv()` in the bridge; tests build one around their temp dirs. */
  env: ServicesEnv;
  /** Where services report what no caller waits for (default: the console). */
  logger?: Logger;
  turns?: Partial<Pick<TurnsDeps, "idleTimeoutMs" | "stopGraceMs" | "isRoot">>;
  /** Tests: a short approval timeout (ms). */
  approvals?: Partial<Pick<ApprovalsDeps, "timeoutMs">>;
  push?: Partial<Pick<PushDeps, "httpsAgent" | "now" | "log">>;
  terminals?: TerminalsOptions;
  /** A fake clock for share-link expiry tests. */
  now?: () => Date;
  tunnel?: Partial<Omit<TunnelDeps, "bus" | "settings">>;
  /** The Playbook Exchange's fetch timeout and what `~/` means in a local manifest. */
  exchange?: Partial<Pick<ExchangeDeps, "home" | "timeoutMs" | "now">>;
  /** Extra env for finishing's git and gh (tests: a fake gh's state, an empty global git config) and gh's login cache. */
  finish?: Partial<Pick<FinishDeps, "env" | "ghCacheMs" | "mergeTimeoutMs">>;
  /** Tests: a short participant timeout for every chat, a faster stream flush. */
  groupchat?: Partial<Pick<GroupChatDeps, "participantTimeoutMs" | "flushMs">>;
  /** Tests: the missions' executor, `.maestro/` reader/writer and write debounce. */
  missions?: Partial<Pick<MissionServiceDeps, "executor" | "disk" | "diskDebounceMs">>;
}

/**
 * The one service graph. Built once by the bridge (or by a test around a temp database). The
 * database is the services' own: callers reach data only through service methods.
 */
export function createServices(db: Db, config: ServicesConfig) {
  const { dataDir, env } = config;
  const logger = config.logger ?? consoleLogger;
  const dbFile = databaseFile(dataDir);
  const bus = createBus();
  // Agents' CLIs start off the main thread from the first turn on (spawn-thread.ts).
  prepareSpawnThread();
  // The fast path's one connection (prepared statements for the hot paths), shared by turns and Auto Run.
  const fast = openFastDb(dbFile);
  const history = createHistoryService(db, bus);
  const settings = createSettingsService(db);
  const providers = createProvidersService(settings, env.path);
  const agents = createAgentsService(db, bus);
  const documents = createDocumentsService({ agents, bus });
  const terminals = createTerminalsService({ agents, bus, env, options: config.terminals });
  const approvals = createApprovalsService({ db, bus, history, logger, ...config.approvals });
  const turns = createTurnsService({
    approvals,
    db,
    fast,
    bus,
    detectProviders: () => providers.detect(),
    history,
    logger,
    niceness: env.providerNice,
    dataDir,
    ...config.turns,
  });
  const push = createPushService({ db, bus, dataDir, subject: env.pushSubject, log: (line) => logger.error(line), ...config.push });
  const worktrees = createWorktreesService({ db, bus });
  // Git status and finishing are built further down; a run reaches them only once it works.
  const autorun = createAutorunService({
    db,
    fast,
    bus,
    turns,
    history,
    logger,
    worktrees,
    finish: () => finish,
    gitStatus: () => git,
    // Auto Run takes back a worktree it just made: forced over the state it checks itself.
    removeWorktree: async (input) =>
      worktreeRemoval.remove({ ...input, seen: (await worktreeRemoval.removeCheck({ agentId: input.agentId })).fingerprint }),
  });
  const runs = createRunQueries(db);
  const tabs = createTabsService(db, bus, turns);
  const commands = createCommandsService(db);
  const uploads = createUploadsService(dataDir);
  const tunnel = createTunnelService({
    bus,
    settings,
    pidFile: path.join(dataDir, "cloudflared.pid"),
    cloudflared: env.cloudflared,
    ...config.tunnel,
  });
  // A project agent's missions stop their workers before the agent's rows (and the missions') cascade away.
  const removeAgent = createAgentRemoval({
    db,
    bus,
    agents,
    autorun,
    turns,
    missions: { endAgentMissions: (id) => missions.endAgentMissions(id) },
  });
  const worktreeRemoval = createWorktreeRemoval({ db, removeAgent });
  const submit = createSubmit({ tabs, agents, commands, documents, uploads, turns });
  const playbooks = createPlaybooksService(db, bus, autorun);
  const git = createGitStatusService({ agents, bus, logger });
  const finish = createFinishService({
    agents,
    bus,
    history,
    gitStatus: git,
    detectProviders: () => providers.detect(),
    path: env.path,
    niceness: env.providerNice,
    busyIn: createBusyCheck({ db, turns }),
    ...config.finish,
  });
  const groupchat = createGroupChatService({ db, fast, bus, turns, tabs, history, autorun, documents, logger, ...config.groupchat });
  const missions = createMissionService({
    db,
    bus,
    logger,
    disk: config.missions?.disk ?? missionDisk,
    executor:
      config.missions?.executor ?? createMissionExecutor({ db, turns, tabs, worktrees, finish: () => finish, logger, worktreeRemoval }),
    diskDebounceMs: config.missions?.diskDebounceMs,
  });
  // Missions done or failed, features done or failed: History entries from the missions' logs.
  recordMissionHistory({ db, bus, logger, history });
  const exchange = createExchangeService({ dataDir, settings, playbooks, logger, ...config.exchange });
  return {
    bus,
    version: VERSION,
    system: createSystemService({ dataDir, version: VERSION }),
    settings,
    auth: createAuthService(db, { bus, dataDir }),
    agents: { ...agents, remove: removeAgent },
    worktrees,
    finish,
    /** Removing worktree agents with their worktree, and the stale-worktree cleanup. */
    worktreeCleanup: { ...worktreeRemoval, ...createWorktreeCleanup({ db, settings, removeAgent }) },
    terminals,
    groups: createGroupsService(db, bus),
    providers,
    turns: { ...turns, submit },
    tabs,
    approvals,
    groupchat,
    missions,
    files: createFilesService(),
    commands,
    sessions: createSessionsService(db, env),
    uploads,
    history,
    share: createShareService({ db, bus, history, now: config.now }),
    autorun: { ...autorun, ...runs },
    playbooks,
    exchange,
    documents,
    push,
    tunnel,
    git,
    diffs: { ...createDiffsService({ agents }), ...createLogService({ agents }), ...createTurnDiffService({ db, agents }) },
    logger,
    /**
     * Stops everything that runs in the background (children, timers). Called on shutdown; `who`
     * names the process stopping in a paused run's reason ("The bridge", or a headless maestro).
     */
    async shutdown(who?: string) {
      documents.shutdown();
      git.shutdown();
      // Auto Run first: its runs are paused (to resume after a restart) before their CLIs are killed.
      await autorun.shutdown(who);
      // Group chats next: their rounds stop waiting before the turns they wait on are killed.
      await groupchat.shutdown();
      await missions.shutdown();
      await Promise.all([turns.shutdown(), terminals.shutdown(), tunnel.shutdown()]);
      approvals.shutdown();
      await autorun.drained();
      await push.shutdown();
      fast.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

// The project's `.maestro/` in the reference CLI's layout (server/services/missions/disk.ts).
const missionDisk: MissionServiceDeps["disk"] = {
  writeTree: writeMissionTree,
  writePrompt,
  writeMemory,
  writeHandoff,
  scanMissionTrees,
  readHandoffs,
  readMemory,
};
