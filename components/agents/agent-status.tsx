import type { ComponentType } from "react";
import type { AgentStatus } from "@/lib/schemas/agents";
import { normalizeStatus } from "./agent-sort";
import { IconBusy, IconError, IconIdle, IconWaiting } from "../ui/icons";
import { cn } from "../ui/cn";

export const STATUS_META: Record<
  AgentStatus,
  { label: string; icon: ComponentType<{ className?: string }>; text: string; dot: string; pill: string }
> = {
  idle: { label: "Idle", icon: IconIdle, text: "text-muted", dot: "bg-ok", pill: "bg-surface-2 text-muted" },
  busy: { label: "Busy", icon: IconBusy, text: "text-busy", dot: "bg-busy", pill: "bg-busy/14 text-busy" },
  error: { label: "Error", icon: IconError, text: "text-bad", dot: "bg-bad", pill: "bg-bad/12 text-bad" },
  waiting: { label: "Waiting for you", icon: IconWaiting, text: "text-wait", dot: "bg-wait", pill: "bg-wait/14 text-wait" },
};

/** Status as icon + text in a pill, tinted when it needs attention (never colour alone). */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const meta = STATUS_META[normalizeStatus(status)];
  const Icon = meta.icon;
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full py-0.5 pr-2.5 pl-2 text-[13px] leading-5 font-semibold",
        meta.pill,
        className,
      )}
    >
      <Icon className="size-3.5" />
      {meta.label}
    </span>
  );
}

/** The coloured dot; busy pulses (unless reduced motion). Decorative: pair it with text. */
export function StatusDot({ status, className, large }: { status: string; className?: string; large?: boolean }) {
  const s = normalizeStatus(status);
  const size = large ? "size-2.5" : "size-2";
  return (
    <span aria-hidden="true" className={cn("relative inline-flex shrink-0", size, className)}>
      {s === "busy" && <span className="absolute inset-0 animate-ping rounded-full bg-busy opacity-60" />}
      <span className={cn("relative inline-flex rounded-full", size, STATUS_META[s].dot)} />
    </span>
  );
}

/** Small status glyph in the status colour, for dense lists (sidebar, palette). */
export function StatusGlyph({ status, className }: { status: string; className?: string }) {
  const meta = STATUS_META[normalizeStatus(status)];
  const Icon = meta.icon;
  return <Icon className={cn("size-4 shrink-0", meta.text, className)} />;
}
