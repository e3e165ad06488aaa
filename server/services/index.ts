import type { Db } from "../db";
import { createAuthService } from "../auth/service";
import { createBus } from "../events/bus";
import { createAgentsService } from "./agents/service";
import { createGroupsService } from "./groups/service";
import { createProvidersService } from "./providers/service";
import { createSettingsService } from "./settings";
import { VERSION } from "../version";

/** The one service graph. Built once by the bridge (or by a test around a temp database). */
export function createServices(db: Db, options: { dataDir: string }) {
  const bus = createBus();
  const settings = createSettingsService(db);
  return {
    db,
    bus,
    dataDir: options.dataDir,
    version: VERSION,
    settings,
    auth: createAuthService(db),
    agents: createAgentsService(db, bus),
    groups: createGroupsService(db, bus),
    providers: createProvidersService(settings),
    /** Stops everything that runs in the background (children, timers). Called on shutdown. */
    async shutdown() {},
  };
}

export type Services = ReturnType<typeof createServices>;
