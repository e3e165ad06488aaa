"use client";

import Link from "next/link";
import { memo, useState, type ReactNode } from "react";
import type { ErrorItem } from "@/lib/transcript/build";
import { IconError } from "../ui/icons";
import { Ticks } from "../ui/ticks";
import { IconWarning } from "./icons";

/* A turn's error in the transcript: a warning line, or a card that says what happened and what to do. */
const ERROR_TITLES: Record<string, string> = {
  not_installed: "The CLI is not installed",
  auth: "Not signed in",
  rate_limit: "Usage limit reached",
  context_full: "The conversation is too long",
  permission: "Permission denied",
  crash: "The CLI stopped unexpectedly",
  malformed: "Unreadable output",
  timeout: "Timed out",
  provider: "The provider reported an error",
};

function errorHint(kind: string): ReactNode {
  switch (kind) {
    case "not_installed":
      return (
        <>
          Install it, re-check in{" "}
          <Link href="/settings/doctor" className="font-medium text-accent underline-offset-2 hover:underline">
            Doctor
          </Link>
          , then send again.
        </>
      );
    case "auth":
      return "Sign in with the CLI on the machine running Maestro, then send again.";
    case "rate_limit":
      return "Send again once the limit resets.";
    case "context_full":
      return "Open a new tab to start a fresh session.";
    case "timeout":
    case "crash":
      return "Send again to retry; the session resumes where it was.";
    default:
      return null;
  }
}

function resetText(iso: string, now: number): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const at = new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const mins = Math.round((t - now) / 60_000);
  if (mins <= 0) return `It reset at ${at}.`;
  return `Resets at ${at} (in ${mins < 60 ? `${mins} min` : `${Math.floor(mins / 60)} h ${mins % 60} min`}).`;
}

export const ErrorCard = memo(function ErrorCard({ item }: { item: ErrorItem }) {
  const [now] = useState(() => Date.now());
  if (!item.fatal) {
    return (
      <div className="pt-2">
        <p className="flex items-start gap-2 rounded-xl border border-busy/35 bg-busy/8 px-3 py-2 text-sm">
          <IconWarning className="mt-0.5 size-4 shrink-0 text-busy" />
          <span className="min-w-0 [overflow-wrap:anywhere]">
            <span className="font-medium">Warning: </span>
            <Ticks text={item.message} />
          </span>
        </p>
      </div>
    );
  }
  const hint = errorHint(item.errorKind);
  const reset = item.resetsAt ? resetText(item.resetsAt, now) : null;
  return (
    <div className="pt-3">
      <div role="alert" className="flex gap-2.5 rounded-xl border border-bad/40 bg-bad/10 px-3.5 py-3 text-sm">
        <IconError className="mt-0.5 size-4 shrink-0 text-bad" />
        <div className="min-w-0">
          <p className="font-semibold text-bad">{ERROR_TITLES[item.errorKind] ?? "Error"}</p>
          <p className="mt-0.5 [overflow-wrap:anywhere] text-text">
            <Ticks text={item.message} />
          </p>
          {(reset || hint) && (
            <p className="mt-1 text-muted">
              {reset} {hint}
            </p>
          )}
        </div>
      </div>
    </div>
  );
});
