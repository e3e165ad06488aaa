import path from "node:path";
import { databaseFile, type Db } from "../db";
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
import { createTabsService } from "./tabs/service";
import { createTurnsService, type TurnsDeps } from "./turns/service";
import { createTunnelService, type TunnelDeps } from "./tunnel/service";
import { VERSION } from "../version";

/** The one service graph. Built once by the bridge (or by a test around a temp database). */
export function createServices(
  db: Db,
  options: {
    dataDir: string;
    turns?: Partial<Pick<TurnsDeps, "idleTimeoutMs" | "stopGraceMs" | "isRoot">>;
    tunnel?: Partial<Omit<TunnelDeps, "bus" | "settings">>;
  },
) {
  const bus = createBus();
  const settings = createSettingsService(db);
  const providers = createProvidersService(settings);
  const turns = createTurnsService({ db, dbFile: databaseFile(options.dataDir), bus, detectProviders: () => providers.detect(), ...options.turns });
  const tunnel = createTunnelService({ bus, settings, pidFile: path.join(options.dataDir, "cloudflared.pid"), ...options.tunnel });
  return {
    db,
    bus,
    dataDir: options.dataDir,
    version: VERSION,
    settings,
    auth: createAuthService(db),
    agents: createAgentsService(db, bus),
    groups: createGroupsService(db, bus),
    providers,
    turns,
    tabs: createTabsService(db, bus),
    files: createFilesService(),
    commands: createCommandsService(db),
    sessions: createSessionsService(db),
    uploads: createUploadsService(options.dataDir),
    history: createHistoryService(db, bus),
    tunnel,
    /** Stops everything that runs in the background (children, timers). Called on shutdown. */
    async shutdown() {
      await Promise.all([turns.shutdown(), tunnel.shutdown()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
