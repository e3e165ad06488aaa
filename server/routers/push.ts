import { byIdInput } from "../../lib/schemas/common";
import { endpointInput, presenceInput, subscribeInput, testInput } from "../../lib/schemas/push";
import { AppError } from "../errors";
import type { Principal } from "../auth/service";
import { protectedProcedure, router } from "../trpc";

/** Push procedures are owner-only (no share meta); a share principal never gets here. */
const ownerSession = (p: Principal) => (p.kind === "owner" ? p.sessionId : null);

export const pushRouter = router({
  /** The VAPID public key a browser subscribes with (`applicationServerKey`). */
  publicKey: protectedProcedure.query(({ ctx }) => ({ publicKey: ctx.services.push.publicKey() })),
  subscribe: protectedProcedure.input(subscribeInput).mutation(async ({ ctx, input }) => {
    const row = await ctx.services.push.subscribe(input, ownerSession(ctx.principal));
    return { id: row.id };
  }),
  unsubscribe: protectedProcedure.input(endpointInput).mutation(async ({ ctx, input }) => ({
    removed: await ctx.services.push.unsubscribe(input.endpoint),
  })),
  /** Subscribed devices; `thisSession` marks the ones this paired device registered. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.push.list();
    return rows.map(({ sessionId, ...row }) => ({ ...row, thisSession: sessionId !== null && sessionId === ownerSession(ctx.principal) }));
  }),
  remove: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    if (!(await ctx.services.push.remove(input.id))) throw new AppError("NOT_FOUND", "That device no longer gets notifications.");
    return { id: input.id };
  }),
  test: protectedProcedure.input(testInput).mutation(({ ctx, input }) => ctx.services.push.test(input.endpoint)),
  /** The app on some device came on screen or left it (see push/presence.ts). */
  presence: protectedProcedure.input(presenceInput).mutation(({ ctx, input }) => {
    ctx.services.push.presence(input.clientId, input.visible);
    return { ok: true };
  }),
});
