import { z } from "zod";
import { providerSchema } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

export const providersRouter = router({
  /** What the doctor screen shows: each provider, found or not, and how to install it. */
  detect: protectedProcedure
    .input(z.object({ fresh: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => ctx.services.providers.detect({ fresh: input?.fresh })),
  setPath: protectedProcedure
    .input(z.object({ id: providerSchema, path: z.string().trim().max(4096).nullable() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.providers.setPath(input.id, input.path || null);
      return ctx.services.providers.detect({ fresh: true });
    }),
});
