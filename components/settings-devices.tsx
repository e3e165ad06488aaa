"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { IconLaptop, IconPhone } from "./icons";
import { SettingsSection } from "./settings-section";
import { useToast } from "./toaster";
import type { Device } from "./trpc-types";
import { readError } from "./trpc-error";
import { Button } from "./ui/button";
import { ConfirmDialog } from "./ui/confirm-dialog";
import { FormError } from "./ui/field";
import { formatDate, formatDateTime, relativeTime } from "./ui/relative-time";
import { useNow } from "./ui/use-now";

const looksMobile = (name: string) => /android|iphone|ipad|phone|mobile|ios|pixel|galaxy/i.test(name);

/** Paired devices; revoking one signs it out at once (this one goes back to pairing). */
export function SettingsDevices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const devices = useQuery(trpc.devices.list.queryOptions());
  const [target, setTarget] = useState<Device | null>(null);
  const [error, setError] = useState<string | null>(null);

  const revoke = useMutation(
    trpc.devices.revoke.mutationOptions({
      onSuccess: (r) => {
        if (r.wasCurrent) {
          window.location.assign("/pair");
          return;
        }
        toast(`Revoked ${target?.deviceName ?? "the device"}`);
        setTarget(null);
        void queryClient.invalidateQueries(trpc.devices.pathFilter());
      },
      onError: (err) => setError(readError(err).message),
    }),
  );

  return (
    <SettingsSection
      id="devices"
      title="Devices"
      description={
        <>
          Phones and browsers paired with this Maestro. To pair another, run{" "}
          <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[13px] text-text">npm run pair</code> on the machine
          running it.
        </>
      }
    >
      {devices.error && <FormError>{readError(devices.error).message}</FormError>}
      <ul className="divide-y divide-border overflow-hidden rounded-2xl border border-border bg-surface">
        {devices.isPending && (
          <li aria-hidden="true" className="flex items-center gap-3 p-4">
            <div className="size-10 rounded-xl bg-surface-2" />
            <div className="flex-1 space-y-2">
              <div className="h-4 w-1/3 rounded bg-surface-2" />
              <div className="h-3 w-1/2 rounded bg-surface-2" />
            </div>
          </li>
        )}
        {devices.data?.map((d) => {
          const Icon = looksMobile(d.deviceName) ? IconPhone : IconLaptop;
          return (
            <li key={d.id} className="flex items-center gap-3.5 px-4 py-3.5">
              <span className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl bg-surface-2 text-muted">
                <Icon className="size-5" />
              </span>
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-medium">{d.deviceName}</span>
                  {d.current && (
                    <span className="rounded-full bg-accent/12 px-2 py-px text-xs font-semibold text-accent">This device</span>
                  )}
                </p>
                <p className="mt-0.5 text-[13px] text-muted">
                  Paired <time dateTime={new Date(d.createdAt).toISOString()}>{formatDate(d.createdAt)}</time> · Last seen{" "}
                  <time dateTime={new Date(d.lastSeenAt).toISOString()} title={formatDateTime(d.lastSeenAt)}>
                    {d.current ? "now" : relativeTime(d.lastSeenAt, now)}
                  </time>
                </p>
              </div>
              <Button
                size="sm"
                variant="danger-ghost"
                aria-label={`Revoke ${d.deviceName}`}
                onClick={() => {
                  setError(null);
                  setTarget(d);
                }}
              >
                Revoke
              </Button>
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={!!target}
        onClose={() => setTarget(null)}
        title={`Revoke ${target?.deviceName ?? ""}?`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={error}
        onConfirm={() => target && revoke.mutate({ id: target.id })}
      >
        {target?.current
          ? "This is the device you are using now. It is signed out at once and needs a new pairing link to come back."
          : "That device is signed out at once, including any open live views. It needs a new pairing link to come back."}
      </ConfirmDialog>
    </SettingsSection>
  );
}
