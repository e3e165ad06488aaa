import { byIdInput, renameInput } from "../../lib/schemas/common";
import { createCliTokenInput } from "../../lib/schemas/devices";
import { AppError } from "../errors";
import { protectedProcedure, router } from "../trpc";

export const devicesRouter = router({
  /** Paired owner devices; `current` marks the one asking. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const devices = await ctx.services.auth.listDevices();
    return devices.map((d) => ({ ...d, current: ctx.principal.kind === "owner" && d.id === ctx.principal.sessionId }));
  }),
  rename: protectedProcedure.input(renameInput).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.auth.renameDevice(input.id, input.name))) throw new AppError("NOT_FOUND", "That device is gone.");
    return { id: input.id };
  }),
  /** `maestro pair --cli`: a revocable token for the CLI on another machine, returned once. */
  createCliToken: protectedProcedure
    .input(createCliTokenInput)
    .mutation(({ ctx, input }) => ctx.services.auth.createCliToken(input.name ?? "Remote CLI")),
  revoke: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.auth.revokeDevice(input.id))) throw new AppError("NOT_FOUND", "That device is already revoked.");
    return { id: input.id, wasCurrent: ctx.principal.kind === "owner" && input.id === ctx.principal.sessionId };
  }),
});
