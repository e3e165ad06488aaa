"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc/client";
import { FormError } from "../ui/field";

/**
 * A new worktree's setup script output. The bridge keeps the tail; each streamed chunk refetches
 * it, so a late or reconnecting reader never shows a chunk twice or misses one.
 */
export function WorktreeSetupLog({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.worktrees.setup.queryOptions({ agentId });
  // Polled too while running: a script that ends before the stream connects sends nothing more.
  const state = useQuery({ ...options, refetchInterval: (q) => (q.state.data?.status === "running" ? 2000 : false) });
  const refetch = () => void queryClient.invalidateQueries({ queryKey: options.queryKey });
  useSubscription(trpc.worktrees.onSetup.subscriptionOptions({ agentId }, { onStarted: refetch, onData: refetch }));
  const s = state.data;
  const status = !s
    ? "Waiting for the script…"
    : s.status === "running"
      ? "Running…"
      : s.status === "ok"
        ? "Setup finished."
        : "Setup failed.";
  return (
    <div className="space-y-2">
      <p role="status" className="text-sm font-medium">
        {status}
      </p>
      <pre
        data-testid="worktree-setup-output"
        className="max-h-72 overflow-auto rounded-lg bg-surface-2 p-3 font-mono text-[12px] leading-5 whitespace-pre-wrap"
      >
        {s?.output || " "}
      </pre>
      {s?.status === "failed" && (
        <FormError hint="The agent was created; fix the script and run it yourself in the worktree.">{s.error}</FormError>
      )}
    </div>
  );
}
