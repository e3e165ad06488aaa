"use client";

import { useState } from "react";
import type { MissionLogEntry } from "@/lib/missions/types";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { formatDateTime, relativeTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";
import { useNow } from "../ui/use-now";
import { useMissionLog } from "./use-missions";

const SHOWN = 60;

function tone(type: string): string {
  if (/fail|error|conflict|crash/.test(type)) return "bg-bad";
  if (/review|paused|blocked/.test(type)) return "bg-wait";
  if (/done|sealed|completed|merged|passed/.test(type)) return "bg-ok";
  if (/start|approved|running/.test(type)) return "bg-busy";
  return "bg-muted";
}

function Entry({ e, now }: { e: MissionLogEntry; now: number }) {
  return (
    <li className="flex gap-2.5 py-2" data-log-type={e.type}>
      <span aria-hidden="true" className={cn("mt-1.5 size-2 shrink-0 rounded-full", tone(e.type))} />
      <span className="min-w-0 flex-1">
        <span className="block text-[14px] leading-snug break-words">{e.text}</span>
        <span className="block text-xs text-muted">
          <time dateTime={e.createdAt} title={formatDateTime(e.createdAt)}>
            {relativeTime(e.createdAt, now)}
          </time>
          {e.featureKey && <span className="font-mono"> · {e.featureKey}</span>}
          {!e.featureKey && e.milestoneKey && <span className="font-mono"> · {e.milestoneKey}</span>}
        </span>
      </span>
    </li>
  );
}

/** What happened, newest first, as it happens (the mission's resumable stream). */
export function ActivityLog({ missionId }: { missionId: string }) {
  const { entries, loading, error, stream } = useMissionLog(missionId);
  const now = useNow(15_000);
  const [all, setAll] = useState(false);
  const newest = [...entries].reverse();
  const shown = all ? newest : newest.slice(0, SHOWN);
  return (
    <div>
      {stream === "reconnecting" && <p className="mb-2 text-sm text-muted">Reconnecting to the live log…</p>}
      {error && entries.length === 0 ? <FormError>{readError(error).message}</FormError> : null}
      {!loading && entries.length === 0 && !error && <p className="py-6 text-center text-[15px] text-muted">Nothing happened yet.</p>}
      <ol aria-label="Activity" aria-live="polite" className="divide-y divide-border">
        {shown.map((e) => (
          <Entry key={e.id} e={e} now={now} />
        ))}
      </ol>
      {newest.length > shown.length && (
        <button type="button" onClick={() => setAll(true)} className="min-h-11 w-full text-sm font-medium text-accent">
          Show {newest.length - shown.length} older
        </button>
      )}
    </div>
  );
}
