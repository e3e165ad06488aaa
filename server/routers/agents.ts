import { bookmarkInput, createAgentInput, moveAgentInput, setProviderInput, updateSettingsInput } from "../../lib/schemas/agents";
import { byIdInput, renameInput } from "../../lib/schemas/common";
import path from "node:path";
import { hasOwnerPowers, type Principal } from "../auth/service";
import { protectedProcedure, router } from "../trpc";

/**
 * A teammate sees the project's folder name, not where it lives on the owner's disk (which
 * names the owner's account and layout), as `system.me` hides the home directory from them.
 */
function forViewer<T extends { folder: string }>(principal: Principal, agent: T): T {
  return hasOwnerPowers(principal) ? agent : { ...agent, folder: path.basename(agent.folder) };
}

export const agentsRouter = router({
  list: protectedProcedure
    .meta({ share: "read", shareScopedOutput: "agents" })
    .query(async ({ ctx }) => (await ctx.services.agents.list()).map((a) => forViewer(ctx.principal, a))),
  byId: protectedProcedure
    .meta({ share: "read", shareIdIs: "agent" })
    .input(byIdInput)
    .query(async ({ ctx, input }) => forViewer(ctx.principal, await ctx.services.agents.byId(input.id))),
  create: protectedProcedure.input(createAgentInput).mutation(({ ctx, input }) => ctx.services.agents.create(input)),
  rename: protectedProcedure.input(renameInput).mutation(({ ctx, input }) => ctx.services.agents.rename(input.id, input.name)),
  bookmark: protectedProcedure
    .input(bookmarkInput)
    .mutation(({ ctx, input }) => ctx.services.agents.setBookmarked(input.id, input.bookmarked)),
  move: protectedProcedure.input(moveAgentInput).mutation(({ ctx, input }) => ctx.services.agents.moveToGroup(input.id, input.groupId)),
  /** Another CLI for the agent (its tabs start new provider sessions). */
  setProvider: protectedProcedure
    .input(setProviderInput)
    .mutation(({ ctx, input }) => ctx.services.agents.setProvider(input.id, input.provider)),
  /** Per-agent provider settings (model, binary, extra args, env, plan mode, sandbox, …). */
  settings: protectedProcedure.input(byIdInput).query(({ ctx, input }) => ctx.services.agents.settings(input.id)),
  updateSettings: protectedProcedure
    .input(updateSettingsInput)
    .mutation(({ ctx, input }) => ctx.services.agents.updateSettings(input.id, input.settings)),
  /** Deletes the agent with its tabs and playbooks; its runs and provider processes end first. */
  remove: protectedProcedure.input(byIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.agents.remove(input.id);
    return { id: input.id };
  }),
  /** Fires when any agent is created, changed or removed; clients refetch what they show. */
  onChange: protectedProcedure.meta({ share: "read", shareScopedOutput: "events" }).subscription(async function* ({ ctx, signal }) {
    const changes = ctx.services.bus.stream("agents.changed", { signal });
    // "Listening" (about no agent), once attached: the client's re-read on it misses nothing.
    yield { agentId: null as string | null };
    for await (const { agentId } of changes) yield { agentId };
  }),
});
