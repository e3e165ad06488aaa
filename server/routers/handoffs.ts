import {
  handoffClaimInput,
  handoffCreateInput,
  handoffIdInput,
  handoffImportInput,
  handoffListInput,
  memoryAddInput,
  memoryIdInput,
  memoryListInput,
  memoryUpdateInput,
} from "../../lib/schemas/missions";
import { protectedProcedure, router } from "../trpc";

/**
 * Handoffs between agent sessions (the reference CLI's, with its UKI v5.4 string) and a project's
 * memory (corrections and learnings compiled into worker guidance). Owner only.
 */
export const handoffsRouter = router({
  list: protectedProcedure.input(handoffListInput).query(({ ctx, input }) => ctx.services.missions.handoffs(input)),
  get: protectedProcedure.input(handoffIdInput).query(({ ctx, input }) => ctx.services.missions.handoff(input.handoffId)),
  create: protectedProcedure.input(handoffCreateInput).mutation(({ ctx, input }) => ctx.services.missions.createHandoff(input)),
  importUki: protectedProcedure.input(handoffImportInput).mutation(({ ctx, input }) => ctx.services.missions.importHandoff(input)),
  pickup: protectedProcedure.input(handoffIdInput).mutation(({ ctx, input }) => ctx.services.missions.pickupHandoff(input.handoffId)),
  claim: protectedProcedure.input(handoffClaimInput).mutation(({ ctx, input }) => ctx.services.missions.claimHandoff(input)),
  complete: protectedProcedure.input(handoffIdInput).mutation(({ ctx, input }) => ctx.services.missions.completeHandoff(input.handoffId)),
});

export const memoryRouter = router({
  list: protectedProcedure.input(memoryListInput).query(({ ctx, input }) => ctx.services.missions.memory(input.agentId)),
  add: protectedProcedure.input(memoryAddInput).mutation(({ ctx, input }) => ctx.services.missions.addMemory(input)),
  update: protectedProcedure.input(memoryUpdateInput).mutation(({ ctx, input }) => ctx.services.missions.updateMemory(input)),
  remove: protectedProcedure.input(memoryIdInput).mutation(({ ctx, input }) => ctx.services.missions.removeMemory(input.id)),
  compile: protectedProcedure.input(memoryListInput).query(({ ctx, input }) => ctx.services.missions.compileMemory(input.agentId)),
});
