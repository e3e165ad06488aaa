import { router } from "../trpc";
import { agentsRouter } from "./agents";
import { devicesRouter } from "./devices";
import { groupsRouter } from "./groups";
import { providersRouter } from "./providers";
import { systemRouter } from "./system";
import { composerRouter } from "./composer";
import { sessionsRouter } from "./sessions";
import { tabsRouter } from "./tabs";
import { turnsRouter } from "./turns";
import { tunnelRouter } from "./tunnel";

export const appRouter = router({
  system: systemRouter,
  agents: agentsRouter,
  groups: groupsRouter,
  devices: devicesRouter,
  providers: providersRouter,
  tabs: tabsRouter,
  turns: turnsRouter,
  composer: composerRouter,
  sessions: sessionsRouter,
  tunnel: tunnelRouter,
});

export type AppRouter = typeof appRouter;
