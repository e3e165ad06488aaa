import { byIdInput } from "../../lib/schemas/common";
import { createShareInput } from "../../lib/schemas/share";
import { AppError } from "../errors";
import { protectedProcedure, router } from "../trpc";

/** Share links (owner-only: no procedure here opens itself to share sessions). */
export const shareRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.share.list()),
  /** Returns the clear token once; the UI turns it into `…/share#token=…`. */
  create: protectedProcedure.input(createShareInput).mutation(({ ctx, input }) => ctx.services.share.create(input)),
  revoke: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.share.revoke(input.id))) throw new AppError("NOT_FOUND", "That link is already revoked.");
    return { id: input.id };
  }),
});
