"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../../ui/button";
import { readError } from "../../ui/trpc-error";
import { usePutTunnelView, type TunnelStatus } from "./use-tunnel-view";

/** Start and Stop for the tunnel; each reply goes through the newest-revision-wins store. */
export function useTunnelControls() {
  const trpc = useTRPC();
  const put = usePutTunnelView();
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const onError = (err: unknown) => {
    const e = readError(err);
    setError({ message: e.message, hint: e.hint });
  };
  const start = useMutation(trpc.tunnel.start.mutationOptions({ onSuccess: put, onError }));
  const stop = useMutation(trpc.tunnel.stop.mutationOptions({ onSuccess: put, onError }));
  return { start, stop, error, setError };
}

/**
 * The section's action: Stop while the tunnel is up, Start (or Try again) otherwise. The caller
 * renders it only once there is a status and cloudflared is not missing (the section then has no action).
 */
export function TunnelControls({
  status: s,
  up,
  controls,
}: {
  status: TunnelStatus;
  up: boolean;
  controls: ReturnType<typeof useTunnelControls>;
}) {
  const { start, stop, setError } = controls;
  return up ? (
    <Button size="sm" variant="secondary" disabled={stop.isPending} onClick={() => (setError(null), stop.mutate())}>
      Stop tunnel
    </Button>
  ) : (
    <Button size="sm" variant="primary" disabled={start.isPending} onClick={() => (setError(null), start.mutate())}>
      {s.state === "failed" ? "Try again" : "Start tunnel"}
    </Button>
  );
}
