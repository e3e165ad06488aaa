"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { MissionView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { IconCheck, IconMore, IconTrash } from "../ui/icons";
import { MenuButton } from "../ui/menu";
import { readError } from "../ui/trpc-error";
import { IconPause, IconPlay } from "./icons";

/** The mission's one next step: Approve a draft, Pause what runs, Resume what is paused. */
export function MissionActions({ view, className }: { view: MissionView; className?: string }) {
  const trpc = useTRPC();
  const ref = { missionId: view.id };
  const approve = useMutation(trpc.missions.approve.mutationOptions());
  const pause = useMutation(trpc.missions.pause.mutationOptions());
  const resume = useMutation(trpc.missions.resume.mutationOptions());
  const error = approve.error ?? pause.error ?? resume.error;
  const busy = approve.isPending || pause.isPending || resume.isPending;
  const s = view.status;
  // A start that failed (no repository, a taken branch…) leaves the mission approved with the reason: approving again retries.
  const startFailed = s === "approved" && view.statusDetail.startsWith("Could not start");
  if (s === "completed" && !error) return null;
  return (
    <div className={className}>
      <div className="flex gap-2">
        {(s === "draft" || startFailed) && (
          <Button variant="primary" className="flex-1 lg:flex-none" disabled={busy} onClick={() => approve.mutate(ref)}>
            <IconCheck className="size-5" />
            {startFailed ? "Try starting again" : "Approve and run"}
          </Button>
        )}
        {(s === "executing" || (s === "approved" && !startFailed)) && (
          <Button className="flex-1 lg:flex-none" disabled={busy} onClick={() => pause.mutate(ref)}>
            <IconPause className="size-5" />
            Pause
          </Button>
        )}
        {(s === "paused" || s === "failed") && (
          <Button variant="primary" className="flex-1 lg:flex-none" disabled={busy} onClick={() => resume.mutate(ref)}>
            <IconPlay className="size-5" />
            Resume
          </Button>
        )}
      </div>
      {error && (
        <FormError className="mt-2" hint={readError(error).hint}>
          {readError(error).message}
        </FormError>
      )}
    </div>
  );
}

/** Less frequent: delete the mission (asked first; `.maestro/` keeps its files). */
export function MissionMenu({ view }: { view: MissionView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.missions.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.missions.list.queryFilter());
        router.push("/missions");
      },
    }),
  );
  return (
    <>
      <MenuButton
        label="Mission actions"
        items={[
          { label: "Delete mission", icon: <IconTrash className="size-4" />, destructive: true, onSelect: () => setConfirming(true) },
        ]}
        className="inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text lg:size-9"
      >
        <IconMore className="size-5" />
      </MenuButton>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete “${view.title}”?`}
        confirmLabel="Delete mission"
        onConfirm={() => remove.mutate({ missionId: view.id })}
        pending={remove.isPending}
        error={remove.error ? readError(remove.error).message : null}
      >
        Its workers stop and its rows go. The files under .maestro/missions/{view.refId}/ stay, and branches already merged stay merged.
      </ConfirmDialog>
    </>
  );
}
