"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import type { Agent } from "../ui/trpc-types";

/**
 * Whether the agent's folder is one of its repository's worktrees other than the main one (git's
 * list says so). A module of its own: the agent header asks it on first paint, while the removal
 * dialog that also uses it loads on demand.
 */
export function useIsWorktreeAgent(agent: Agent, enabled = true): boolean {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.worktrees.list.queryOptions({ agentId: agent.id }), staleTime: 60_000, enabled, retry: false });
  if (list.data) return list.data.some((w) => !w.main && !w.prunable && w.path === agent.folder);
  // Not a repository (or not asked yet): what the agent row remembers.
  return !list.error && !!agent.worktreeBranch;
}
