"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { CheckpointView, MissionView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError, Input } from "../ui/field";
import { formatDateTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";

/** Checkpoints: save one now, and go back to any (asked first: later progress is replaced). */
export function CheckpointsPanel({ view }: { view: MissionView }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.missions.checkpoints.queryOptions({ missionId: view.id }));
  const [label, setLabel] = useState("");
  const save = useMutation(trpc.missions.saveCheckpoint.mutationOptions({ onSuccess: () => setLabel("") }));
  const [restoring, setRestoring] = useState<CheckpointView | null>(null);
  const restore = useMutation(trpc.missions.restoreCheckpoint.mutationOptions({ onSuccess: () => setRestoring(null) }));
  const items = list.data ?? [];
  return (
    <div className="space-y-3">
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ missionId: view.id, label: label.trim() || undefined });
        }}
      >
        <Input aria-label="Checkpoint label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Before the API rework" />
        <Button type="submit" variant="primary" disabled={save.isPending}>
          Save checkpoint
        </Button>
      </form>
      {(save.error ?? list.error) && <FormError>{readError(save.error ?? list.error).message}</FormError>}
      {list.data && items.length === 0 && (
        <p className="py-4 text-center text-[15px] text-muted">No checkpoints yet. One is taken before every seal.</p>
      )}
      <ul aria-label="Checkpoints" className="divide-y divide-border rounded-xl border border-border bg-surface">
        {items.map((c) => (
          <li key={c.id} className="flex min-h-14 items-center gap-3 px-3 py-2">
            <span className="min-w-0 flex-1">
              <span className="block truncate text-[15px] font-medium">{c.label || "Checkpoint"}</span>
              <span className="block text-xs text-muted">
                {formatDateTime(c.createdAt)} · {c.reason === "auto" ? "automatic" : "saved by you"}
              </span>
            </span>
            <Button size="sm" onClick={() => setRestoring(c)}>
              Restore
            </Button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={!!restoring}
        onClose={() => setRestoring(null)}
        title={`Restore “${restoring?.label || "checkpoint"}”?`}
        confirmLabel="Restore"
        onConfirm={() => restoring && restore.mutate({ missionId: view.id, checkpointId: restoring.id })}
        pending={restore.isPending}
        error={restore.error ? readError(restore.error).message : null}
      >
        The mission&apos;s features, assertions and milestones go back to how they were then. Pause the mission first if workers run.
      </ConfirmDialog>
    </div>
  );
}
