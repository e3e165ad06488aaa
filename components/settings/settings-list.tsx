import type { ReactNode } from "react";
import { IconLaptop, IconPhone, IconTerminal } from "../ui/icons";

/** The rounded list Settings uses for devices, share links and notification targets. */
export function SettingsList({ label, pending = false, children }: { label?: string; pending?: boolean; children: ReactNode }) {
  return (
    <ul aria-label={label} className="divide-y divide-border overflow-hidden rounded-2xl border border-border bg-surface">
      {pending && (
        <li aria-hidden="true" className="flex items-center gap-3 p-4">
          <div className="size-10 rounded-xl bg-surface-2" />
          <div className="flex-1 space-y-2">
            <div className="h-4 w-1/3 rounded bg-surface-2" />
            <div className="h-3 w-1/2 rounded bg-surface-2" />
          </div>
        </li>
      )}
      {children}
    </ul>
  );
}

const looksMobile = (name: string) => /android|iphone|ipad|phone|mobile|ios|pixel|galaxy/i.test(name);

/** A phone or a laptop, guessed from the name the device was given; a terminal for the `maestro` CLI. */
export function DeviceIcon({ name, cli = false }: { name: string; cli?: boolean }) {
  const Icon = cli ? IconTerminal : looksMobile(name) ? IconPhone : IconLaptop;
  return (
    <span className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl bg-surface-2 text-muted">
      <Icon className="size-5" />
    </span>
  );
}

export function CliBadge() {
  return <span className="rounded-full bg-surface-2 px-2 py-px text-xs font-semibold text-muted">CLI</span>;
}

export function ThisDeviceBadge() {
  return <span className="rounded-full bg-accent/12 px-2 py-px text-xs font-semibold text-accent">This device</span>;
}
