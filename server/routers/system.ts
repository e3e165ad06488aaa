import { protectedProcedure, router } from "../trpc";

export const systemRouter = router({
  /** Who am I and where is the bridge: the app's first query after load. */
  me: protectedProcedure.query(({ ctx }) => ({
    principal: ctx.principal,
    dataDir: ctx.services.dataDir,
    version: ctx.services.version,
  })),
});
