"use client";

import type { PointerEvent } from "react";
import type { BarKey } from "@/lib/terminal/keys";
import { cn } from "../ui/cn";

const KEYS: { key: BarKey; label: string; name: string }[] = [
  { key: "esc", label: "Esc", name: "Escape" },
  { key: "tab", label: "Tab", name: "Tab" },
  { key: "left", label: "←", name: "Left arrow" },
  { key: "up", label: "↑", name: "Up arrow" },
  { key: "down", label: "↓", name: "Down arrow" },
  { key: "right", label: "→", name: "Right arrow" },
  { key: "pipe", label: "|", name: "Pipe" },
  { key: "tilde", label: "~", name: "Tilde" },
  { key: "slash", label: "/", name: "Slash" },
];

const KEY =
  "inline-flex h-11 min-w-11 shrink-0 items-center justify-center rounded-lg border border-border bg-surface px-2.5 font-mono text-[15px] active:bg-surface-2";

/** Buttons keep the terminal focused, so a phone's on-screen keyboard stays open. */
const keepFocus = (e: PointerEvent) => e.preventDefault();

/**
 * The keys a phone keyboard lacks. Ctrl is a toggle: the next key (from this bar or the
 * keyboard) is sent as its control character.
 */
export function KeyBar({
  ctrl,
  onCtrl,
  onKey,
  className,
  style,
}: {
  ctrl: boolean;
  onCtrl: (on: boolean) => void;
  onKey: (key: BarKey) => void;
  className?: string;
  style?: React.CSSProperties;
}) {
  return (
    <div
      role="toolbar"
      aria-label="Terminal keys"
      className={cn("flex gap-1.5 overflow-x-auto border-t border-border bg-surface-2 px-2 py-1.5", className)}
      style={style}
    >
      <button type="button" className={KEY} onPointerDown={keepFocus} onClick={() => onKey("esc")} aria-label="Escape">
        Esc
      </button>
      <button
        type="button"
        className={cn(KEY, ctrl && "border-accent bg-accent text-accent-fg active:bg-accent")}
        onPointerDown={keepFocus}
        onClick={() => onCtrl(!ctrl)}
        aria-pressed={ctrl}
        aria-label="Control"
      >
        Ctrl
      </button>
      {KEYS.filter((k) => k.key !== "esc").map((k) => (
        <button key={k.key} type="button" className={KEY} onPointerDown={keepFocus} onClick={() => onKey(k.key)} aria-label={k.name}>
          {k.label}
        </button>
      ))}
    </div>
  );
}
