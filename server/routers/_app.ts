import { router } from "../trpc";
import { agentsRouter } from "./agents";
import { devicesRouter } from "./devices";
import { groupsRouter } from "./groups";
import { providersRouter } from "./providers";
import { systemRouter } from "./system";

export const appRouter = router({
  system: systemRouter,
  agents: agentsRouter,
  groups: groupsRouter,
  devices: devicesRouter,
  providers: providersRouter,
});

export type AppRouter = typeof appRouter;
