"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { pushServiceName } from "@/lib/push/service-name";
import { useTRPC } from "@/lib/trpc/client";
import { guessDeviceName } from "./device-name";
import { IconCheck, IconError, IconInfo, Svg, type IconProps } from "../ui/icons";
import {
  currentSubscription,
  isIos,
  notificationPermission,
  pushSupport,
  PushSetupError,
  subscribeThisDevice,
  type PushSupport,
} from "./push-client";
import { DeviceIcon, SettingsList, ThisDeviceBadge } from "./settings-list";
import { SettingsSection } from "./settings-section";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { formatDate, formatDateTime, relativeTime } from "../ui/relative-time";
import { useConfirmTarget } from "../ui/use-confirm-target";
import { useNow } from "../ui/use-now";

const IconBell = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8" />
    <path d="M10.3 20a1.94 1.94 0 0 0 3.4 0" />
  </Svg>
);

/** What this browser can do, read after mount (the server render knows nothing of it). */
interface Here {
  support: PushSupport;
  permission: NotificationPermission;
  endpoint: string | null;
}

function useThisDevice() {
  const [here, setHere] = useState<Here | null>(null);
  const refresh = useCallback(async () => {
    const support = pushSupport();
    let endpoint: string | null = null;
    try {
      endpoint = (await currentSubscription())?.endpoint ?? null;
    } catch {
      /* no registration yet */
    }
    setHere({ support, permission: notificationPermission(), endpoint });
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { here, refresh };
}

function Note({ icon, children, tone = "muted" }: { icon: ReactNode; children: ReactNode; tone?: "muted" | "ok" | "bad" }) {
  return (
    <p className={`flex items-start gap-2.5 text-[15px] ${tone === "bad" ? "text-text" : tone === "ok" ? "text-text" : "text-muted"}`}>
      <span className={`mt-0.5 shrink-0 ${tone === "ok" ? "text-ok" : tone === "bad" ? "text-bad" : "text-muted"}`}>{icon}</span>
      <span className="min-w-0">{children}</span>
    </p>
  );
}

const UNAVAILABLE: Record<Exclude<PushSupport, "ok">, ReactNode> = {
  insecure: (
    <>
      Notifications need a secure connection. Open Maestro through its https tunnel address (or on this machine at{" "}
      <code className="font-mono text-[13px]">localhost</code>), then enable them here.
    </>
  ),
  "ios-needs-install": (
    <>
      On iPhone and iPad, notifications work only in the installed app: tap Share, then <strong>Add to Home Screen</strong>, open Maestro
      from the Home Screen and enable them there (iOS 16.4 or later).
    </>
  ),
  unsupported: <>This browser cannot receive web notifications. Try Chrome, Edge, Firefox, or Safari 16.4 or later.</>,
};

/**
 * Web Push on this device (permission, subscribe, store), the devices that get notifications,
 * and a test. Every state the browser can be in says what to do next.
 */
export function SettingsNotifications() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const { here, refresh } = useThisDevice();
  const list = useQuery(trpc.push.list.queryOptions());
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries(trpc.push.list.queryFilter());

  const subscribe = useMutation(trpc.push.subscribe.mutationOptions());
  const enable = useMutation({
    mutationFn: async () => {
      const { publicKey } = await queryClient.fetchQuery(trpc.push.publicKey.queryOptions());
      const sub = await subscribeThisDevice(publicKey);
      await subscribe.mutateAsync({ ...sub, deviceLabel: guessDeviceName(navigator.userAgent, { touchPoints: navigator.maxTouchPoints }) });
    },
    onMutate: () => setError(null),
    onSuccess: () => toast("Notifications are on for this device"),
    onError: (err) => {
      if (err instanceof PushSetupError && err.reason === "denied") return; // the blocked state explains it
      if (err instanceof PushSetupError)
        return setError({ message: err.message, hint: err.reason === "subscribe-failed" ? err.hint : undefined });
      const r = readError(err);
      setError({ message: r.message, hint: r.hint });
    },
    onSettled: () => Promise.all([refresh(), invalidate()]),
  });

  const unsubscribe = useMutation(trpc.push.unsubscribe.mutationOptions());
  const disable = useMutation({
    mutationFn: async () => {
      const sub = await currentSubscription();
      if (sub) {
        await unsubscribe.mutateAsync({ endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
    },
    onMutate: () => setError(null),
    onSuccess: () => toast("Notifications are off for this device"),
    onError: (err) => setError({ message: readError(err).message }),
    onSettled: () => Promise.all([refresh(), invalidate()]),
  });

  const sendTest = useMutation(
    trpc.push.test.mutationOptions({
      onMutate: () => setError(null),
      onSuccess: (r) => {
        if (r.sent > 0) toast("Test sent. It should appear in a moment.");
        else if (r.removed > 0) setError({ message: "The push service no longer knows this device.", hint: "Enable notifications again." });
        else setError({ message: "The test could not be delivered.", hint: "The device list shows the push service's answer." });
      },
      onError: (err) => {
        const r = readError(err);
        setError({ message: r.message, hint: r.hint });
      },
      onSettled: () => Promise.all([refresh(), invalidate()]),
    }),
  );

  const confirmRemove = useConfirmTarget<{ id: string; label: string; mine: boolean }>();
  const remove = useMutation(
    trpc.push.remove.mutationOptions({
      onSuccess: async (_r, input) => {
        const row = list.data?.find((d) => d.id === input.id);
        // Removing this device here also drops the browser's own subscription.
        if (row && row.endpoint === here?.endpoint) await (await currentSubscription())?.unsubscribe();
        toast(`${row?.deviceLabel || "That device"} no longer gets notifications`);
        confirmRemove.close();
      },
      onError: confirmRemove.fail,
      onSettled: () => Promise.all([refresh(), invalidate()]),
    }),
  );

  const stored = !!here?.endpoint && !!list.data?.some((d) => d.endpoint === here.endpoint);
  const busy = enable.isPending || disable.isPending;

  let status: ReactNode;
  let actions: ReactNode = null;
  if (!here) {
    status = <Note icon={<IconBell className="size-5" />}>Checking this browser…</Note>;
  } else if (here.support !== "ok") {
    status = <Note icon={<IconInfo className="size-5" />}>{UNAVAILABLE[here.support]}</Note>;
  } else if (here.permission === "denied") {
    status = (
      <Note tone="bad" icon={<IconError className="size-5" />}>
        Notifications are blocked for this site. Allow them in the browser&apos;s site settings (the icon left of the address, or the system
        settings for the installed app), then reload this page.
      </Note>
    );
  } else if (stored) {
    status = (
      <Note tone="ok" icon={<IconCheck className="size-5" />}>
        On for this device.
      </Note>
    );
    actions = (
      <>
        <Button variant="primary" disabled={sendTest.isPending} onClick={() => sendTest.mutate({ endpoint: here.endpoint! })}>
          {sendTest.isPending ? "Sending…" : "Send test notification"}
        </Button>
        <Button variant="ghost" disabled={busy} onClick={() => disable.mutate()}>
          {disable.isPending ? "Turning off…" : "Turn off on this device"}
        </Button>
      </>
    );
  } else {
    status = <Note icon={<IconBell className="size-5" />}>Off for this device.</Note>;
    actions = (
      <Button variant="primary" disabled={busy || list.isPending} onClick={() => enable.mutate()}>
        <IconBell className="size-5" />
        {enable.isPending ? "Enabling…" : "Enable notifications on this device"}
      </Button>
    );
  }

  return (
    <SettingsSection
      id="notifications"
      title="Notifications"
      description="Hear when an agent finishes while Maestro is in the background, when an agent asks before it acts (Allow and Deny right on the notification), and when an Auto Run finishes, fails a task, completes a document or pauses for you. Tapping a notification opens that screen."
    >
      <div className="space-y-4 rounded-2xl border border-border bg-surface p-4">
        {status}
        {error && <FormError hint={error.hint}>{error.message}</FormError>}
        {actions && <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">{actions}</div>}
        {here?.support === "ok" && isIos() && (
          <p className="text-sm text-muted">On iPhone and iPad this works only in the app opened from the Home Screen.</p>
        )}
      </div>

      <h3 className="mt-6 mb-2 text-[15px] font-semibold">Where notifications go</h3>
      {list.error && <FormError>{readError(list.error).message}</FormError>}
      <SettingsList label="Where notifications go" pending={list.isPending}>
        {list.data?.length === 0 && <li className="px-4 py-3.5 text-[15px] text-muted">No device gets notifications yet.</li>}
        {list.data?.map((d) => {
          const label = d.deviceLabel || "Unnamed browser";
          const mine = d.endpoint === here?.endpoint;
          return (
            <li key={d.id} className="flex items-center gap-3.5 px-4 py-3.5">
              <DeviceIcon name={label} />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-medium">{label}</span>
                  {mine && <ThisDeviceBadge />}
                </p>
                <p className="mt-0.5 text-[13px] text-muted">
                  {pushServiceName(d.endpoint)} · Added{" "}
                  <time dateTime={new Date(d.createdAt).toISOString()}>{formatDate(d.createdAt)}</time>
                  {" · "}
                  {d.lastSuccessAt ? (
                    <>
                      Last delivered{" "}
                      <time dateTime={new Date(d.lastSuccessAt).toISOString()} title={formatDateTime(d.lastSuccessAt)}>
                        {relativeTime(d.lastSuccessAt, now)}
                      </time>
                    </>
                  ) : (
                    "Nothing delivered yet"
                  )}
                </p>
                {d.failures > 0 && (
                  <p className="mt-0.5 flex items-center gap-1.5 text-[13px] text-text">
                    <IconError className="size-3.5 shrink-0 text-bad" />
                    {d.failures === 1 ? "The last delivery failed" : `The last ${d.failures} deliveries failed`}
                    {d.lastError ? `: ${d.lastError}` : ""}
                  </p>
                )}
              </div>
              <Button
                size="sm"
                variant="danger-ghost"
                aria-label={`Stop notifications on ${label}`}
                onClick={() => confirmRemove.ask({ id: d.id, label, mine })}
              >
                Remove
              </Button>
            </li>
          );
        })}
      </SettingsList>
      <ConfirmDialog
        open={!!confirmRemove.target}
        onClose={confirmRemove.close}
        title={`Stop notifications on ${confirmRemove.target?.label ?? ""}?`}
        confirmLabel="Stop notifications"
        pending={remove.isPending}
        error={confirmRemove.error}
        onConfirm={() => confirmRemove.target && remove.mutate({ id: confirmRemove.target.id })}
      >
        {confirmRemove.target?.mine
          ? "This device gets no more notifications. You can turn them on again here at any time."
          : "That device gets no more notifications. To have them again, enable notifications on that device."}
      </ConfirmDialog>
    </SettingsSection>
  );
}
