"use client";

import { Dialog, DialogBody } from "../ui/dialog";
import type { Agent } from "../ui/trpc-types";
import { useNow } from "../ui/use-now";
import { AgentDetails } from "./agent-details";
import { AgentManage } from "./agent-manage";
import { useGroups } from "./use-agents";

/** Everything about the agent, moving it to a group and deleting it, in a sheet over the conversation. */
export function AgentDetailsSheet({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const groups = useGroups();
  const now = useNow();
  return (
    <Dialog open onClose={onClose} title={agent.name} description="Details" variant="sheet" size="lg">
      <DialogBody className="space-y-4 bg-bg pb-6">
        <AgentDetails agent={agent} groups={groups.data} now={now} />
        <AgentManage agent={agent} groups={groups.data} />
      </DialogBody>
    </Dialog>
  );
}
