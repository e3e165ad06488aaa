"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { CliBadge, DeviceIcon, SettingsList, ThisDeviceBadge } from "./settings-list";
import { SettingsSection } from "./settings-section";
import { useToast } from "../ui/toaster";
import type { Device } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { formatDate, formatDateTime, relativeTime } from "../ui/relative-time";
import { useConfirmTarget } from "../ui/use-confirm-target";
import { useNow } from "../ui/use-now";

/** Paired devices; revoking one signs it out at once (this one goes back to pairing). */
export function SettingsDevices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const devices = useQuery(trpc.devices.list.queryOptions());
  const confirm = useConfirmTarget<Device>();

  const revoke = useMutation(
    trpc.devices.revoke.mutationOptions({
      onSuccess: (r) => {
        if (r.wasCurrent) {
          // This device is signed out: a full page load, so nothing cached from its session stays.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a fresh page on purpose, not a client navigation
          window.location.assign("/pair");
          return;
        }
        toast(`Revoked ${confirm.target?.deviceName ?? "the device"}`);
        confirm.close();
        void queryClient.invalidateQueries(trpc.devices.pathFilter());
      },
      onError: confirm.fail,
    }),
  );

  return (
    <SettingsSection
      id="devices"
      title="Devices"
      description={
        <>
          Phones and browsers paired with this Maestro, the <code className="font-mono text-[13px]">maestro</code> CLI on this machine, and
          CLI tokens made for other machines with <code className="font-mono text-[13px] whitespace-nowrap">maestro pair --cli</code>. To
          pair another, run <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[13px] text-text">npm run pair</code> on the
          machine running it.
        </>
      }
    >
      {devices.error && <FormError>{readError(devices.error).message}</FormError>}
      <SettingsList pending={devices.isPending}>
        {devices.data?.map((d) => (
          <li key={d.id} className="flex items-center gap-3.5 px-4 py-3.5">
            <DeviceIcon name={d.deviceName} cli={d.kind === "cli"} />
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2">
                <span className="truncate font-medium">{d.deviceName}</span>
                {d.kind === "cli" && d.deviceName !== "CLI" && <CliBadge />}
                {d.current && <ThisDeviceBadge />}
              </p>
              <p className="mt-0.5 text-[13px] text-muted">
                {d.kind === "cli" ? "Created" : "Paired"}{" "}
                <time dateTime={new Date(d.createdAt).toISOString()}>{formatDate(d.createdAt)}</time> · Last seen{" "}
                <time dateTime={new Date(d.lastSeenAt).toISOString()} title={formatDateTime(d.lastSeenAt)}>
                  {d.current ? "now" : relativeTime(d.lastSeenAt, now)}
                </time>
              </p>
            </div>
            <Button size="sm" variant="danger-ghost" aria-label={`Revoke ${d.deviceName}`} onClick={() => confirm.ask(d)}>
              Revoke
            </Button>
          </li>
        ))}
      </SettingsList>
      <ConfirmDialog
        open={!!confirm.target}
        onClose={confirm.close}
        title={`Revoke ${confirm.target?.deviceName ?? ""}?`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={confirm.error}
        onConfirm={() => confirm.target && revoke.mutate({ id: confirm.target.id })}
      >
        {confirm.target?.kind === "cli"
          ? "The maestro CLI's token is replaced at once: the CLI on this machine picks up the new one, copies used elsewhere stop working."
          : confirm.target?.current
            ? "This is the device you are using now. It is signed out at once and needs a new pairing link to come back."
            : "That device is signed out at once, including any open live views. It needs a new pairing link to come back."}
      </ConfirmDialog>
    </SettingsSection>
  );
}
