"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { FeatureView, MissionView } from "@/lib/missions/types";
import { formatDateTime } from "../ui/relative-time";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { AgentSelect } from "../groupchat/agent-picker";
import { conversationAgentOf } from "@/lib/missions/agent-rows";
import { agentTabHref } from "../groupchat/chat-meta";
import { Button, buttonClass } from "../ui/button";
import { Dialog, DialogBody } from "../ui/dialog";
import { FormError } from "../ui/field";
import { IconGitBranch, IconRefresh } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { FeatureStatusPill, featureNumbers } from "./feature-card";
import { IconSkip } from "./icons";
import { ASSERTION_STATUS_PILL, ASSERTION_STATUS_LABEL } from "./mission-meta";
import { cn } from "../ui/cn";

/** Retry, Skip and Reassign for a failed (or blocked) feature. */
function FailureActions({ view, feature }: { view: MissionView; feature: FeatureView }) {
  const trpc = useTRPC();
  const agents = useAgents();
  const ref = { missionId: view.id, featureKey: feature.key };
  const retry = useMutation(trpc.missions.retryFeature.mutationOptions());
  const skip = useMutation(trpc.missions.skipFeature.mutationOptions());
  const reassign = useMutation(trpc.missions.reassignFeature.mutationOptions());
  // The pool, or every top-level agent when the mission has none (not the worktree agents
  // missions and others make: each is one branch's workspace, not a worker to choose).
  const pool = (agents.data ?? []).filter((a) => (view.pool.length ? view.pool.includes(a.id) : !a.parentId));
  const [to, setTo] = useState("");
  const target = to || pool.find((a) => a.id !== feature.agentId)?.id || "";
  const error = retry.error ?? skip.error ?? reassign.error;
  const busy = retry.isPending || skip.isPending || reassign.isPending;
  return (
    <section aria-label="Failure actions" className="space-y-3 rounded-xl border border-bad/40 bg-bad/5 p-3.5">
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" disabled={busy} onClick={() => retry.mutate(ref)}>
          <IconRefresh className="size-5" />
          Retry
        </Button>
        <Button disabled={busy} onClick={() => skip.mutate(ref)}>
          <IconSkip className="size-5" />
          Skip
        </Button>
      </div>
      <div className="flex items-end gap-2">
        <AgentSelect label="Reassign to" className="min-w-0 flex-1" agents={pool} value={target} onChange={setTo} />
        <Button disabled={busy || !target} onClick={() => reassign.mutate({ ...ref, agentId: target })}>
          Reassign
        </Button>
      </div>
      {view.status === "paused" && (
        <p className="text-sm text-muted">The mission is paused: after Retry, Skip or Reassign, Resume it to go on.</p>
      )}
      {error && <FormError hint={readError(error).hint}>{readError(error).message}</FormError>}
    </section>
  );
}

function Prompt({ view, feature }: { view: MissionView; feature: FeatureView }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const prompt = useQuery(trpc.missions.featurePrompt.queryOptions({ missionId: view.id, featureKey: feature.key }, { enabled: open }));
  return (
    <details className="rounded-xl border border-border" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="flex min-h-11 cursor-pointer items-center px-3.5 text-sm font-medium">Worker prompt</summary>
      <div className="border-t border-border p-3">
        {prompt.data ? (
          <>
            <p className="mb-2 truncate font-mono text-xs text-muted">{prompt.data.path}</p>
            <pre className="max-h-72 overflow-auto text-[13px] leading-5 whitespace-pre-wrap">{prompt.data.prompt}</pre>
          </>
        ) : prompt.error ? (
          <FormError>{readError(prompt.error).message}</FormError>
        ) : (
          <p className="text-sm text-muted">Loading…</p>
        )}
      </div>
    </details>
  );
}

/** One feature: what it is, its dependencies, checks and assertions, who works on it, and the ways out of a failure. */
export function FeatureSheet({ view, featureKey, onClose }: { view: MissionView; featureKey: string | null; onClose: () => void }) {
  const feature = featureKey ? view.features.find((f) => f.key === featureKey) : undefined;
  return (
    <Dialog open={!!feature} onClose={onClose} title={feature?.title ?? "Feature"} size="lg">
      {feature && (
        <DialogBody className="space-y-4 text-[15px]">
          <div className="flex flex-wrap items-center gap-2 text-sm text-muted">
            <FeatureStatusPill feature={feature} />
            <span className="font-mono">{feature.key}</span>
            {featureNumbers(feature) && <span className="tabular-nums">{featureNumbers(feature)}</span>}
          </div>
          {feature.statusDetail && (
            <p className={cn("text-sm", feature.status === "failed" || feature.status === "blocked" ? "text-bad" : "text-muted")}>
              {feature.statusDetail}
            </p>
          )}
          {(feature.status === "failed" || feature.status === "blocked") && <FailureActions view={view} feature={feature} />}
          {feature.description && <p className="leading-relaxed whitespace-pre-wrap">{feature.description}</p>}
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            <dt className="text-muted">Worker</dt>
            <dd>{feature.agentName ?? (feature.workerType ? `a ${feature.workerType} agent` : "not started")}</dd>
            {feature.branch && (
              <>
                <dt className="text-muted">Branch</dt>
                <dd className="flex min-w-0 items-center gap-1 font-mono">
                  <IconGitBranch className="size-3.5 shrink-0" />
                  <span className="truncate">{feature.branch}</span>
                </dd>
              </>
            )}
            {feature.mergedSha && (
              <>
                <dt className="text-muted">Merged</dt>
                <dd className="font-mono">{feature.mergedSha.slice(0, 10)}</dd>
              </>
            )}
            <dt className="text-muted">Depends on</dt>
            <dd className="font-mono">{feature.dependsOn.length ? feature.dependsOn.join(", ") : "nothing"}</dd>
            {feature.startedAt && (
              <>
                <dt className="text-muted">Started</dt>
                <dd>{formatDateTime(feature.startedAt)}</dd>
              </>
            )}
          </dl>
          {conversationAgentOf(view, feature) && (
            <Link
              href={agentTabHref(conversationAgentOf(view, feature)!, feature.tabId)}
              className={buttonClass("secondary", "md", "w-full sm:w-auto")}
            >
              Open the worker&apos;s conversation
            </Link>
          )}
          {feature.verificationSteps.length > 0 && (
            <section>
              <h3 className="mb-1.5 text-sm font-semibold">Verification</h3>
              <ul className="space-y-1">
                {feature.verificationSteps.map((s, i) => (
                  <li key={i} className="overflow-x-auto rounded-lg bg-bg px-3 py-1.5 font-mono text-[13px] whitespace-pre">
                    {s}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {feature.fulfills.length > 0 && (
            <section>
              <h3 className="mb-1.5 text-sm font-semibold">Assertions it fulfils</h3>
              <ul className="flex flex-wrap gap-1.5">
                {feature.fulfills.map((k) => {
                  const a = view.assertions.find((x) => x.key === k);
                  return (
                    <li
                      key={k}
                      className={cn("rounded-full px-2.5 py-0.5 text-xs font-medium", ASSERTION_STATUS_PILL[a?.status ?? "pending"])}
                    >
                      {k}: {ASSERTION_STATUS_LABEL[a?.status ?? "pending"]}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          <Prompt view={view} feature={feature} />
        </DialogBody>
      )}
    </Dialog>
  );
}
