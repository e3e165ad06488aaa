import { byIdInput } from "../../lib/schemas/common";
import { historyListInput, historyStatsInput } from "../../lib/schemas/history";
import { protectedProcedure, router } from "../trpc";

export const historyRouter = router({
  /** One page of the timeline, newest first; pass `nextCursor` back for the next page. */
  list: protectedProcedure.input(historyListInput).query(({ ctx, input }) => ctx.services.history.list(input)),
  byId: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.history.get(input.id)),
  agents: protectedProcedure.query(({ ctx }) => ctx.services.history.agents()),
  stats: protectedProcedure.input(historyStatsInput).query(({ ctx, input }) => ctx.services.history.stats(input)),
  /** A ping per new entry: the timeline and totals refetch. */
  onChange: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const changes = ctx.services.bus.stream("history.changed", { signal });
    // "Listening", once attached: the client re-reads on it and misses nothing.
    yield { agentId: null as string | null };
    yield* changes;
  }),
});
