"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError, inputClass, Label } from "../ui/field";
import { IconGitBranch } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { PrSheet } from "./pr-sheet";

/** How the branch stands, in a few words: "2 ahead of main · 1 to push". */
function standing(info: { base: string | null; aheadOfBase: number; behindBase: number; upstream: string | null; ahead: number }) {
  const bits: string[] = [];
  if (info.base) {
    bits.push(info.aheadOfBase ? `${info.aheadOfBase} ahead of ${info.base}` : `no commits beyond ${info.base}`);
    if (info.behindBase) bits.push(`${info.behindBase} behind`);
  }
  if (!info.upstream) bits.push("not pushed");
  else if (info.ahead) bits.push(`${info.ahead} to push`);
  return bits.join(" · ");
}

/**
 * Finishing the branch the agent works on: a commit box (typed, or drafted by the agent), then
 * Push, Create PR and Merge into the base. Shown above the Changes list when the agent is on a
 * branch; errors appear right under the action that failed.
 */
export function FinishPanel({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [message, setMessage] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [prOpen, setPrOpen] = useState(false);
  const [mergeOpen, setMergeOpen] = useState(false);
  const info = useQuery({ ...trpc.finish.info.queryOptions({ agentId }), staleTime: 2000 });
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.finish.pathFilter());
    void queryClient.invalidateQueries(trpc.diffs.pathFilter());
    void queryClient.invalidateQueries(trpc.git.pathFilter());
  };
  useSubscription(trpc.git.onChange.subscriptionOptions({ agentId }, { onData: () => void info.refetch() }));

  const draft = useMutation(trpc.finish.draftMessage.mutationOptions({ onSuccess: (r) => setMessage(r.message) }));
  const commit = useMutation(
    trpc.finish.commit.mutationOptions({
      onSuccess: (r) => {
        setMessage("");
        setDone(`Committed ${r.sha.slice(0, 7)}: ${r.subject}`);
        refresh();
      },
    }),
  );
  const push = useMutation(
    trpc.finish.push.mutationOptions({
      onSuccess: (r) => {
        setDone(`Pushed ${r.branch} to ${r.remote}.`);
        refresh();
      },
    }),
  );
  const merge = useMutation(
    trpc.finish.mergeBack.mutationOptions({
      onSuccess: (r) => {
        setMergeOpen(false);
        setDone(`Merged ${r.branch} into ${r.into} (${r.sha.slice(0, 7)}).`);
        refresh();
      },
    }),
  );

  const d = info.data;
  if (!d?.isRepo || !d.branch) return null;
  const busy = draft.isPending || commit.isPending || push.isPending || merge.isPending;
  const commitError = draft.error ?? commit.error;
  const actionError = push.error;
  const clear = () => {
    setDone(null);
    for (const m of [draft, commit, push, merge]) m.reset();
  };

  return (
    <section aria-label="Finish this branch" className="space-y-3 border-b border-border p-3" data-testid="finish-panel">
      <p className="flex min-w-0 items-center gap-1.5 text-xs text-muted">
        <IconGitBranch className="size-3.5 shrink-0" />
        <span className="truncate font-mono text-text">{d.branch}</span>
        <span className="truncate">{standing(d)}</span>
      </p>

      {d.dirty > 0 || message ? (
        <form
          className="space-y-2 lg:max-w-3xl"
          onSubmit={(e) => {
            e.preventDefault();
            clear();
            commit.mutate({ agentId, message });
          }}
        >
          <Label htmlFor={`${ids}-msg`}>Commit message</Label>
          <textarea
            id={`${ids}-msg`}
            className={`${inputClass} min-h-24 py-2.5`}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="What changed, and why"
            aria-invalid={commit.error ? true : undefined}
            disabled={draft.isPending}
          />
          <div className="flex gap-2">
            <Button
              size="sm"
              className="flex-1 lg:flex-none"
              disabled={busy}
              aria-busy={draft.isPending || undefined}
              onClick={() => {
                clear();
                draft.mutate({ agentId });
              }}
            >
              {draft.isPending ? "Drafting…" : "Draft with agent"}
            </Button>
            <Button
              type="submit"
              variant="primary"
              size="sm"
              className="flex-1 lg:flex-none"
              disabled={busy || !message.trim()}
              aria-busy={commit.isPending || undefined}
            >
              {commit.isPending ? "Committing…" : `Commit ${d.dirty} file${d.dirty === 1 ? "" : "s"}`}
            </Button>
          </div>
          {commitError && <FormError hint={readError(commitError).hint}>{readError(commitError).message}</FormError>}
        </form>
      ) : (
        <p className="text-sm text-muted">Nothing to commit.</p>
      )}

      <div className="flex flex-wrap gap-2">
        {d.remote && (
          <Button
            size="sm"
            className="flex-1 lg:flex-none"
            disabled={busy || !d.hasCommits}
            aria-busy={push.isPending || undefined}
            onClick={() => {
              clear();
              push.mutate({ agentId });
            }}
          >
            {push.isPending ? "Pushing…" : "Push"}
          </Button>
        )}
        {/* Shown with any remote: when git does not know the target branch, the sheet asks for it. */}
        {d.remote && (
          <Button
            size="sm"
            className="flex-1 lg:flex-none"
            disabled={busy || !d.hasCommits}
            onClick={() => {
              clear();
              setPrOpen(true);
            }}
          >
            Create PR
          </Button>
        )}
        {d.base && d.mergeFolder && (
          <Button
            size="sm"
            className="min-w-0 basis-full lg:basis-auto"
            disabled={busy || d.aheadOfBase === 0}
            onClick={() => {
              clear();
              setMergeOpen(true);
            }}
          >
            <span className="truncate">Merge into {d.base}</span>
          </Button>
        )}
      </div>
      {actionError && <FormError hint={readError(actionError).hint}>{readError(actionError).message}</FormError>}
      {done && (
        <p role="status" className="text-sm text-ok">
          {done}
        </p>
      )}

      {prOpen && (
        <PrSheet
          agentId={agentId}
          branch={d.branch}
          base={d.base ?? ""}
          remoteKind={d.remote?.kind ?? null}
          gh={d.gh}
          onClose={() => {
            setPrOpen(false);
            refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={mergeOpen}
        onClose={() => setMergeOpen(false)}
        title={`Merge ${d.branch} into ${d.base}?`}
        confirmLabel={merge.isPending ? "Merging…" : "Merge"}
        destructive={false}
        pending={merge.isPending}
        error={merge.error ? readError(merge.error).message : null}
        onConfirm={() => merge.mutate({ agentId, into: d.base })}
      >
        A merge commit is made on {d.base} in <span className="font-mono break-all">{d.mergeFolder}</span>. If it conflicts, nothing changes
        and the conflicting files are listed.
      </ConfirmDialog>
    </section>
  );
}
