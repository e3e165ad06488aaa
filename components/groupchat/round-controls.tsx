"use client";

import type { ChatView, RoundStatus } from "@/lib/groupchat/types";
import { IconRefresh } from "../ui/icons";
import { IconStop, Spinner } from "../conversation/icons";
import { CHAT_STATUS_LABEL, isRunning, RETRYABLE } from "./chat-meta";

const ENDED: Partial<Record<RoundStatus, string>> = {
  interrupted: "The last round was interrupted (the bridge restarted).",
  failed: "The last round failed.",
  stopped: "The last round was stopped.",
  limit: "The last round reached its round limit.",
};

/** Above the composer: Stop while a round runs; Retry after one ended badly. */
export function RoundControls({
  view,
  canControl,
  stopping,
  onStop,
  onRetry,
  retrying,
}: {
  view: ChatView;
  canControl: boolean;
  stopping: boolean;
  onStop: () => void;
  onRetry: () => void;
  retrying: boolean;
}) {
  const running = isRunning(view.chat.status);
  const last = view.rounds[view.rounds.length - 1];
  if (running) {
    return (
      <div className="mb-2 flex items-center gap-2 pl-1">
        <p className="flex min-w-0 flex-1 items-center gap-2 text-sm font-medium text-busy">
          <Spinner className="size-4 shrink-0" />
          <span className="truncate">{stopping ? "Stopping…" : `${CHAT_STATUS_LABEL[view.chat.status]}…`}</span>
        </p>
        {canControl && (
          <button
            type="button"
            onClick={onStop}
            disabled={stopping}
            className="inline-flex min-h-11 shrink-0 items-center gap-2 rounded-xl border border-border bg-surface px-4 text-sm font-semibold shadow-sm hover:bg-surface-2 disabled:opacity-60 lg:min-h-9"
          >
            <IconStop className="size-4 text-bad" />
            Stop
          </button>
        )}
      </div>
    );
  }
  if (!last || !RETRYABLE.includes(last.status)) return null;
  return (
    <div className="mb-2 flex items-center gap-2 pl-1">
      <p className="min-w-0 flex-1 text-sm text-muted">
        {ENDED[last.status]}
        {last.error && last.status !== "stopped" ? ` ${last.error}` : ""}
      </p>
      {canControl && (
        <button
          type="button"
          onClick={onRetry}
          disabled={retrying}
          className="inline-flex min-h-11 shrink-0 items-center gap-2 rounded-xl border border-border bg-surface px-4 text-sm font-semibold shadow-sm hover:bg-surface-2 disabled:opacity-60 lg:min-h-9"
        >
          <IconRefresh className="size-4" />
          Retry
        </button>
      )}
    </div>
  );
}
