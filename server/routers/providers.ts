import { detectInput, setProviderPathInput } from "../../lib/schemas/providers";
import { protectedProcedure, router } from "../trpc";

export const providersRouter = router({
  /** What the doctor screen shows: each provider, found or not, and how to install it. */
  detect: protectedProcedure.input(detectInput).query(({ ctx, input }) => ctx.services.providers.detect({ fresh: input?.fresh })),
  setPath: protectedProcedure.input(setProviderPathInput).mutation(async ({ ctx, input }) => {
    await ctx.services.providers.setPath(input.id, input.path || null);
    return ctx.services.providers.detect({ fresh: true });
  }),
});
