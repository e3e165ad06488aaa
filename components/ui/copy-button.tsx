"use client";

import { useEffect, useState } from "react";
import { IconCheck, IconCopy } from "./icons";
import { cn } from "./cn";

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  // Plain-http LAN pages have no async clipboard: use a hidden textarea.
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** Copies text; says "Copied" (politely announced) for a moment. */
export function CopyButton({ text, label, className }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = window.setTimeout(() => setState("idle"), 1800);
    return () => window.clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}
      className={cn(
        "inline-flex min-h-11 shrink-0 items-center gap-1.5 rounded-lg px-2.5 text-sm font-medium text-muted hover:bg-surface-2 hover:text-text lg:min-h-8",
        className,
      )}
    >
      {state === "copied" ? <IconCheck className="size-4 text-ok" /> : <IconCopy className="size-4" />}
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}</span>
    </button>
  );
}

/** A one-line command in a horizontally scrolling code block, with a copy button. */
export function CodeBlock({ code, copyLabel, className }: { code: string; copyLabel: string; className?: string }) {
  return (
    <div className={cn("flex items-center gap-1 rounded-xl border border-border bg-bg pl-3.5", className)}>
      <pre className="min-w-0 flex-1 overflow-x-auto py-2.5 font-mono text-[13px] leading-5 text-text">
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={copyLabel} className="mr-1" />
    </div>
  );
}
