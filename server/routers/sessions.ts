import { listSessionsInput, renameSessionInput, sessionRefInput, starSessionInput } from "../../lib/schemas/sessions";
import { protectedProcedure, router } from "../trpc";

export const sessionsRouter = router({
  list: protectedProcedure
    .input(listSessionsInput)
    .query(({ ctx, input }) => ctx.services.sessions.list(input.agentId, input.query)),
  rename: protectedProcedure
    .input(renameSessionInput)
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      await ctx.services.sessions.setMeta(agent.provider, input.sessionId, { name: input.name || null });
      return { ok: true };
    }),
  star: protectedProcedure
    .input(starSessionInput)
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      await ctx.services.sessions.setMeta(agent.provider, input.sessionId, { starred: input.starred });
      return { ok: true };
    }),
  /** Opens the session in a new tab (the next prompt there resumes it). */
  resume: protectedProcedure.input(sessionRefInput).mutation(({ ctx, input }) => ctx.services.tabs.openSession(input.agentId, input.sessionId)),
});
