import { z } from "zod";
import { idSchema } from "../../lib/schemas/agents";
import { protectedProcedure, router } from "../trpc";

const sessionRef = { agentId: idSchema, sessionId: z.string().min(1).max(200) };

export const sessionsRouter = router({
  list: protectedProcedure
    .input(z.object({ agentId: idSchema, query: z.string().max(200).optional() }))
    .query(({ ctx, input }) => ctx.services.sessions.list(input.agentId, input.query)),
  rename: protectedProcedure
    .input(z.object({ ...sessionRef, name: z.string().trim().max(120).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      await ctx.services.sessions.setMeta(agent.provider, input.sessionId, { name: input.name || null });
      return { ok: true };
    }),
  star: protectedProcedure
    .input(z.object({ ...sessionRef, starred: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const agent = await ctx.services.agents.byId(input.agentId);
      await ctx.services.sessions.setMeta(agent.provider, input.sessionId, { starred: input.starred });
      return { ok: true };
    }),
  /** Opens the session in a new tab (the next prompt there resumes it). */
  resume: protectedProcedure.input(z.object(sessionRef)).mutation(async ({ ctx, input }) => {
    const existing = (await ctx.services.tabs.list(input.agentId)).find((t) => t.providerSessionId === input.sessionId);
    return existing ?? ctx.services.tabs.create(input.agentId, undefined, input.sessionId);
  }),
});
