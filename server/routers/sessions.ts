import { listSessionsInput, renameSessionInput, sessionRefInput, starSessionInput } from "../../lib/schemas/sessions";
import { protectedProcedure, router } from "../trpc";

export const sessionsRouter = router({
  list: protectedProcedure.input(listSessionsInput).query(({ ctx, input }) => ctx.services.sessions.list(input.agentId, input.query)),
  rename: protectedProcedure
    .input(renameSessionInput)
    .mutation(({ ctx, input }) => ctx.services.sessions.setMetaFor(input.agentId, input.sessionId, { name: input.name || null })),
  star: protectedProcedure
    .input(starSessionInput)
    .mutation(({ ctx, input }) => ctx.services.sessions.setMetaFor(input.agentId, input.sessionId, { starred: input.starred })),
  /** Opens the session in a new tab (the next prompt there resumes it). */
  resume: protectedProcedure
    .input(sessionRefInput)
    .mutation(({ ctx, input }) => ctx.services.tabs.openSession(input.agentId, input.sessionId)),
});
