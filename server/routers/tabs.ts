import { agentIdInput, byIdInput, renameInput } from "../../lib/schemas/common";
import { tabPermissionModeInput } from "../../lib/schemas/approvals";
import { createTabInput, reorderTabsInput, starTabInput } from "../../lib/schemas/tabs";
import { protectedProcedure, router } from "../trpc";

export const tabsRouter = router({
  list: protectedProcedure
    .meta({ share: "read" })
    .input(agentIdInput)
    .query(({ ctx, input }) => ctx.services.tabs.list(input.agentId)),
  create: protectedProcedure
    .input(createTabInput)
    .mutation(({ ctx, input }) => ctx.services.tabs.create(input.agentId, input.name, input.providerSessionId)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.tabs.rename(input.id, input.name)),
  star: protectedProcedure.input(starTabInput).mutation(({ ctx, input }) => ctx.services.tabs.star(input.id, input.starred)),
  /** This tab's permission mode for its next turns, or null for the agent's (owner only). */
  setPermissionMode: protectedProcedure
    .input(tabPermissionModeInput)
    .mutation(({ ctx, input }) => ctx.services.approvals.setTabMode(input)),
  reorder: protectedProcedure.input(reorderTabsInput).mutation(async ({ ctx, input }) => {
    await ctx.services.tabs.reorder(input.agentId, input.ids);
    return { ok: true };
  }),
  close: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.tabs.close(input.id);
    return { id: input.id };
  }),
});
