import type { Db } from "../../db";
import type { Bus } from "../../events/bus";
import type { AutorunService } from "../autorun/runner";
import type { TurnsService } from "../turns/service";
import type { AgentsService } from "./service";

export interface AgentRemovalDeps {
  db: Db;
  bus: Bus;
  agents: Pick<AgentsService, "byId">;
  autorun: Pick<AutorunService, "endAgentRuns">;
  turns: Pick<TurnsService, "stop" | "settled">;
  /** Stops the workers of the agent's missions (their rows cascade with the agent). */
  missions?: { endAgentMissions(agentId: string): Promise<void> };
}

export interface AgentRemovalOptions {
  /**
   * Runs once the agent's processes have ended and before its rows go (removing its worktree
   * folder: nothing may still write there). When it throws, the agent and its rows stay.
   */
  beforeRows?: () => Promise<void>;
}

/**
 * Deleting an agent. No run or provider process outlives it, so those end first (stopping a
 * process is no database write a transaction could undo); then its rows go in one transaction:
 * its playbooks, its approval requests and the agent with its tabs, turns and events (cascaded). A failure there
 * leaves the agent whole. The change is announced after the commit. Its worktree agents stay,
 * un-nested (the schema sets their `parentId` to null).
 */
export function createAgentRemoval({ db, bus, agents, autorun, turns, missions }: AgentRemovalDeps) {
  return async function remove(id: string, opts: AgentRemovalOptions = {}): Promise<void> {
    await agents.byId(id);
    await autorun.endAgentRuns(id);
    await missions?.endAgentMissions(id);
    for (const tab of await db.tab.findMany({ where: { agentId: id }, select: { id: true } })) {
      if (await turns.stop(tab.id)) await turns.settled(tab.id);
    }
    await opts.beforeRows?.();
    await db.$transaction([
      db.playbook.deleteMany({ where: { agentId: id } }),
      // Approval rows keep plain ids (no relation), so nothing cascades to them.
      db.approval.deleteMany({ where: { agentId: id } }),
      db.agent.delete({ where: { id } }),
    ]);
    bus.publish("agents.changed", { agentId: id });
  };
}
