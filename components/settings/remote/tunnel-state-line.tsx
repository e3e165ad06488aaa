"use client";

import { cn } from "../../ui/cn";
import { IconBusy, IconCheck, IconError, IconIdle, IconWaiting } from "../../ui/icons";
import { useNow } from "../../ui/use-now";
import type { TunnelStatus } from "./use-tunnel-view";

/** The tunnel's state in one line (with the restart countdown), its error, and what to do when cloudflared is missing. */
export function TunnelStateLine({ status: s }: { status: TunnelStatus }) {
  const now = useNow(1000);
  const inS = s.retryAt ? Math.max(0, Math.ceil((s.retryAt - now) / 1000)) : 0;
  const info = {
    idle: { Icon: IconIdle, tone: "text-muted", text: "Tunnel off" },
    starting: { Icon: IconBusy, tone: "text-accent", text: "Starting cloudflared…" },
    running: { Icon: IconCheck, tone: "text-ok", text: s.connected ? "Tunnel running" : "Tunnel running (connecting to Cloudflare…)" },
    restarting: {
      Icon: IconWaiting,
      tone: "text-wait",
      text: s.retryAt ? `Restarting in ${inS} s (attempt ${s.failures + 1} of ${s.maxFailures})` : "Restarting…",
    },
    failed: { Icon: IconError, tone: "text-bad", text: "Tunnel stopped: it kept failing" },
    missing: { Icon: IconError, tone: "text-bad", text: "cloudflared is not installed" },
  }[s.state];
  return (
    <div role="status" aria-live="polite">
      <p className={cn("flex items-center gap-2 font-semibold", info.tone)}>
        <info.Icon className={cn("size-4 shrink-0", s.state === "starting" && "animate-spin")} />
        <span>{info.text}</span>
        <span className="ml-auto text-xs font-normal text-muted">{s.mode === "named" ? "Named tunnel" : "Quick tunnel"}</span>
      </p>
      {s.error && !(s.state === "missing" && /not installed/.test(s.error)) && (
        <p className="mt-1.5 text-sm break-words text-muted">{s.error}</p>
      )}
      {s.state === "missing" && (
        <p className="mt-1.5 text-sm text-muted">
          Maestro runs Cloudflare&apos;s <code className="font-mono text-[13px]">cloudflared</code> from your PATH (or a path you set
          below). Install it, then start the tunnel here or with <code className="font-mono text-[13px]">npm start -- --tunnel</code>.
        </p>
      )}
    </div>
  );
}
