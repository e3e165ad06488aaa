import { byIdInput, renameInput } from "../../lib/schemas/common";
import { collapseGroupInput, createGroupInput } from "../../lib/schemas/groups";
import { protectedProcedure, router } from "../trpc";

export const groupsRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.groups.list()),
  create: protectedProcedure.input(createGroupInput).mutation(({ ctx, input }) => ctx.services.groups.create(input.name)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.groups.rename(input.id, input.name)),
  collapse: protectedProcedure
    .input(collapseGroupInput)
    .mutation(({ ctx, input }) => ctx.services.groups.setCollapsed(input.id, input.collapsed)),
  remove: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.groups.remove(input.id);
    return { id: input.id };
  }),
});
