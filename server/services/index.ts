import path from "node:path";
import { databaseFile, type Db } from "../db";
import { openFastDb } from "../db/fast";
import { createAuthService } from "../auth/service";
import { createBus } from "../events/bus";
import { createAgentsService } from "./agents/service";
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
import { createPushService, type PushDeps } from "./push/service";
import { createAutorunService } from "./autorun/runner";
import { createPlaybooksService } from "./autorun/playbooks";
import { createTunnelService, type TunnelDeps } from "./tunnel/service";
import { VERSION } from "../version";

/** The one service graph. Built once by the bridge (or by a test around a temp database). */
export function createServices(
  db: Db,
  options: {
    dataDir: string;
    turns?: Partial<Pick<TurnsDeps, "idleTimeoutMs" | "stopGraceMs" | "isRoot">>;
    push?: Partial<Pick<PushDeps, "httpsAgent" | "now" | "log">>;
    terminals?: TerminalsOptions;
    /** A fake clock for share-link expiry tests. */
    now?: () => Date;
    tunnel?: Partial<Omit<TunnelDeps, "bus" | "settings">>;
  },
) {
  const bus = createBus();
  // The fast path's one connection (prepared statements for the hot paths), shared by turns and Auto Run.
  const fast = openFastDb(databaseFile(options.dataDir));
  const history = createHistoryService(db, bus);
  const settings = createSettingsService(db);
  const providers = createProvidersService(settings);
  const agents = createAgentsService(db, bus);
  const documents = createDocumentsService({ agents, bus });
  const terminals = createTerminalsService({ agents, bus, options: options.terminals });
  const turns = createTurnsService({ db, fast, bus, detectProviders: () => providers.detect(), history, ...options.turns });
  const push = createPushService({ db, bus, dataDir: options.dataDir, ...options.push });
  const autorun = createAutorunService({ db, fast, bus, turns, history });
  const tunnel = createTunnelService({ bus, settings, pidFile: path.join(options.dataDir, "cloudflared.pid"), ...options.tunnel });
  return {
    db,
    bus,
    dataDir: options.dataDir,
    version: VERSION,
    settings,
    auth: createAuthService(db),
    agents,
    terminals,
    groups: createGroupsService(db, bus),
    providers,
    turns,
    tabs: createTabsService(db, bus),
    files: createFilesService(),
    commands: createCommandsService(db),
    sessions: createSessionsService(db),
    uploads: createUploadsService(options.dataDir),
    history,
    share: createShareService({ db, bus, history, now: options.now }),
    autorun,
    playbooks: createPlaybooksService(db, bus),
    documents,
    push,
    tunnel,
    /** Stops everything that runs in the background (children, timers). Called on shutdown. */
    async shutdown() {
      documents.shutdown();
      // Auto Run first: its runs are paused (to resume after a restart) before their CLIs are killed.
      await autorun.shutdown();
      await Promise.all([turns.shutdown(), terminals.shutdown(), tunnel.shutdown()]);
      await autorun.drained();
      await push.shutdown();
      fast.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
