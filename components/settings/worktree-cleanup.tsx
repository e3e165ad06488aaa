"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { formatSize, STALE_REASON_LABEL, staleLosses } from "@/lib/git/worktree-cleanup";
import { useTRPC } from "@/lib/trpc/client";
import { useMe } from "../agents/use-agents";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError, Input, Label } from "../ui/field";
import { IconCheck, IconRefresh, IconTrash } from "../ui/icons";
import { useToast } from "../ui/toaster";
import type { RouterOutputs } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { TruncatedPath } from "../ui/truncated-path";
import { SettingsSection } from "./settings-section";

type Stale = RouterOutputs["worktreeCleanup"]["stale"];
type StaleRow = Stale["repos"][number]["worktrees"][number];
type CleanupResult = RouterOutputs["worktreeCleanup"]["cleanup"][number];

/**
 * The stale-worktree cleanup: every agent's repository, each worktree with a reason to go
 * (merged, branch gone, folder missing, not touched for N days), its size and agent; tick some,
 * Remove selected in one action; Prune dangling entries for folders deleted by hand.
 */
export function WorktreeCleanup() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const home = useMe().data?.homeDir;
  const stale = useQuery(trpc.worktreeCleanup.stale.queryOptions(undefined, { staleTime: 0 }));
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [deleteBranches, setDeleteBranches] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [failures, setFailures] = useState<CleanupResult[]>([]);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.worktreeCleanup.pathFilter());
    void queryClient.invalidateQueries(trpc.agents.pathFilter());
  };
  const cleanup = useMutation(
    trpc.worktreeCleanup.cleanup.mutationOptions({
      onSuccess: (results) => {
        const done = results.filter((r) => r.ok).length;
        setConfirming(false);
        setPicked(new Set());
        setFailures(results.filter((r) => !r.ok || r.error));
        toast(
          `Removed ${done} of ${results.length} worktree${results.length === 1 ? "" : "s"}`,
          done === results.length ? undefined : "bad",
        );
        refresh();
      },
    }),
  );
  const prune = useMutation(
    trpc.worktreeCleanup.prune.mutationOptions({
      onSuccess: (r) => {
        toast(r.pruned === 0 ? "Nothing to prune" : `Pruned ${r.pruned} dangling entr${r.pruned === 1 ? "y" : "ies"}`);
        refresh();
      },
      onError: (err) => toast(`Couldn't prune: ${readError(err).message}`, "bad"),
    }),
  );

  const repos = stale.data?.repos.filter((r) => r.worktrees.length > 0) ?? [];
  const rows = repos.flatMap((r) => r.worktrees);
  const chosen = rows.filter((w) => picked.has(w.path));
  const dirty = chosen.filter((w) => staleLosses(w).length > 0);
  const dangling = stale.data?.repos.reduce((n, r) => n + r.dangling, 0) ?? 0;
  const healthy = stale.data?.repos.reduce((n, r) => n + r.healthy, 0) ?? 0;
  const toggle = (p: string, on: boolean) =>
    setPicked((old) => {
      const next = new Set(old);
      if (on) next.add(p);
      else next.delete(p);
      return next;
    });

  return (
    <SettingsSection
      id="worktrees"
      title="Worktrees cleanup"
      headingLevel={1}
      description="Worktrees of your agents' repositories that look finished or abandoned. Removing one deletes its folder and the agents working in it."
      actions={
        <Button size="sm" onClick={refresh} disabled={stale.isFetching} aria-label="Look again">
          <IconRefresh className={cn("size-4", stale.isFetching && "animate-spin")} />
          Refresh
        </Button>
      }
    >
      <StaleDaysForm current={stale.data?.olderThanDays} />
      {stale.error && <FormError className="mt-4">{readError(stale.error).message}</FormError>}
      {stale.isPending && <p className="mt-4 text-sm text-muted">Asking git about every repository…</p>}
      {stale.data && rows.length === 0 && (
        <div className="mt-4 flex items-start gap-3 rounded-2xl border border-border bg-surface p-4" data-testid="worktrees-clean">
          <IconCheck className="mt-0.5 size-5 shrink-0 text-ok" />
          <div>
            <p className="font-semibold">All clean</p>
            <p className="text-sm text-muted">
              No stale worktrees{healthy > 0 ? `; ${healthy} in use` : ""}. Worktrees show up here when their branch is merged or gone,
              their folder is missing, or nothing happened in them for {stale.data.olderThanDays} days.
            </p>
          </div>
        </div>
      )}
      {repos.map((repo) => (
        <section key={repo.mainRepo} aria-label={`Stale worktrees of ${repo.mainRepo}`} className="mt-5">
          <h2 className="flex min-w-0 items-baseline gap-2 text-sm font-semibold">
            <TruncatedPath path={repo.mainRepo} home={home} className="min-w-0" />
            {repo.mainBranch && <span className="shrink-0 font-normal text-muted">on {repo.mainBranch}</span>}
          </h2>
          <ul className="mt-2 divide-y divide-border overflow-hidden rounded-2xl border border-border bg-surface">
            {repo.worktrees.map((w) => (
              <StaleItem key={w.path} row={w} home={home} checked={picked.has(w.path)} onChange={(on) => toggle(w.path, on)} />
            ))}
          </ul>
        </section>
      ))}
      {failures.length > 0 && (
        <div role="alert" className="mt-4 rounded-lg border border-bad/40 bg-bad/8 px-3 py-2 text-sm">
          <ul className="space-y-1">
            {failures.map((f) => (
              <li key={f.path} className="break-all">
                {f.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      {rows.length > 0 && (
        <label className="mt-3 flex min-h-11 items-center gap-2 text-[15px]">
          <input
            type="checkbox"
            className="size-5 accent-[var(--color-accent)]"
            checked={deleteBranches}
            onChange={(e) => setDeleteBranches(e.target.checked)}
          />
          Also delete their merged branches
        </label>
      )}
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:justify-end">
        <Button onClick={() => prune.mutate()} disabled={prune.isPending || dangling === 0}>
          Prune dangling entries{dangling > 0 ? ` (${dangling})` : ""}
        </Button>
        {rows.length > 0 && (
          <Button variant="danger" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
            <IconTrash className="size-4" />
            Remove selected{chosen.length > 0 ? ` (${chosen.length})` : ""}
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Remove ${chosen.length} worktree${chosen.length === 1 ? "" : "s"}?`}
        confirmLabel={dirty.length > 0 ? "Remove anyway" : "Remove"}
        pending={cleanup.isPending}
        error={cleanup.error ? readError(cleanup.error).message : null}
        onConfirm={() => cleanup.mutate({ paths: chosen.map((w) => w.path), deleteBranches, forcePaths: dirty.map((w) => w.path) })}
      >
        Their folders go, with the agents working in them{deleteBranches ? ", and their branches when merged" : ""}.
        {dirty.length > 0 && (
          <span role="alert" className="mt-2 block font-medium text-bad">
            {dirty.map((w) => `${w.branch ?? w.path}: ${staleLosses(w).join(", ")}`).join("; ")} will be lost.
          </span>
        )}
      </ConfirmDialog>
    </SettingsSection>
  );
}

function StaleItem({
  row: w,
  home,
  checked,
  onChange,
}: {
  row: StaleRow;
  home?: string | null;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const id = useId();
  return (
    <li className="flex items-start gap-3 px-4 py-3">
      <input
        id={id}
        type="checkbox"
        className="mt-3 size-5 shrink-0 accent-[var(--color-accent)]"
        checked={checked}
        disabled={w.locked}
        onChange={(e) => onChange(e.target.checked)}
        aria-label={`Select ${w.branch ?? w.path}`}
      />
      <div className="min-w-0 flex-1 py-1.5">
        <label htmlFor={id} className="block truncate font-mono text-[14px] font-medium">
          {w.branch ?? "(detached)"}
        </label>
        <TruncatedPath path={w.path} home={home} className="text-[12.5px] text-muted" />
        <p className="mt-1.5 flex flex-wrap gap-1.5">
          {w.reasons.map((r) => (
            <span key={r} className="rounded-full bg-surface-2 px-2 py-0.5 text-[12.5px] font-medium text-text">
              {STALE_REASON_LABEL[r]}
            </span>
          ))}
          {w.locked && <span className="rounded-full bg-busy/15 px-2 py-0.5 text-[12.5px] font-medium">Locked</span>}
        </p>
        <p className="mt-1.5 text-[13px] text-muted">
          {w.reasons.includes("missing") ? "No folder" : `${w.sizeComplete ? "" : "≥ "}${formatSize(w.bytes)}`}
          {w.agents.map((a) => (
            <span key={a.id}>
              {" · "}
              <Link href={`/agents/${a.id}`} className="font-medium text-accent underline-offset-2 hover:underline">
                {a.name}
              </Link>
            </span>
          ))}
          {w.agents.length === 0 && " · no agent"}
          {staleLosses(w).map((loss) => (
            <span key={loss} className="font-medium text-bad">
              {" · "}
              {loss}
            </span>
          ))}
        </p>
      </div>
    </li>
  );
}

/** "Stale after N days": the setting the "not touched for a while" reason uses. */
function StaleDaysForm({ current }: { current: number | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.worktreeCleanup.setStaleDays.mutationOptions({
      onSuccess: () => {
        setValue(null);
        void queryClient.invalidateQueries(trpc.worktreeCleanup.pathFilter());
      },
      onError: (err) => setError(readError(err).fieldErrors.days ?? readError(err).message),
    }),
  );
  const shown = value ?? (current === undefined ? "" : String(current));
  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const days = Number(shown);
    if (!Number.isInteger(days) || days < 1) return setError("Type a whole number of days (1 or more).");
    save.mutate({ days });
  }
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
      <div>
        <Label htmlFor={id}>Stale after (days without activity)</Label>
        <Input
          id={id}
          type="number"
          inputMode="numeric"
          min={1}
          className="w-28"
          value={shown}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <Button type="submit" disabled={save.isPending || value === null}>
        Save
      </Button>
      {error && <FormError className="basis-full">{error}</FormError>}
    </form>
  );
}
