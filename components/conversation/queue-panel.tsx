"use client";

import { useId, useState } from "react";
import type { QueuedMessage } from "@/lib/transcript/queue";
import { IconChevronDown, IconPencil, IconX } from "../ui/icons";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { IconArrowDown, IconQueue, IconSend } from "./icons";
import type { MessageQueue } from "./use-send-queue";

const iconBtn =
  "inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text disabled:pointer-events-none disabled:opacity-35 lg:size-8";

/**
 * Messages typed while the tab was busy (or the bridge away), in the order they will be sent.
 * Each can be edited, moved or removed until it goes out.
 */
export function QueuePanel({
  queue,
  state,
  sendingId,
  onResume,
}: {
  queue: MessageQueue;
  /** waiting: goes out when the turn ends; paused: after a Stop or a failed send; offline. */
  state: "waiting" | "paused" | "failed" | "offline" | "sending";
  sendingId: string | null;
  onResume: () => void;
}) {
  const [collapsed, setCollapsed] = useState(false);
  const listId = useId();
  const items = queue.items;
  if (items.length === 0) return null;

  const note =
    state === "paused"
      ? "Paused after Stop: nothing goes out until you say so."
      : state === "failed"
        ? "Paused: the last one could not be sent."
        : state === "offline"
          ? "Queued — will send when back online."
          : state === "sending"
            ? "Sending the next one…"
            : "Sent in order when the current turn ends.";

  return (
    <section aria-labelledby={`${listId}-h`} className="mb-2 overflow-hidden rounded-xl border border-wait/35 bg-wait/6">
      <div className="flex items-center gap-1 pr-1">
        <h2 id={`${listId}-h`} className="min-w-0 flex-1">
          <button
            type="button"
            aria-expanded={!collapsed}
            aria-controls={listId}
            onClick={() => setCollapsed((v) => !v)}
            className="flex min-h-11 w-full min-w-0 items-center gap-2 px-3 text-left lg:min-h-9"
          >
            <IconQueue className="size-4 shrink-0 text-wait" />
            <span className="shrink-0 text-sm font-semibold">Queued ({items.length})</span>
            <span className="min-w-0 truncate text-xs text-muted">{note}</span>
            <IconChevronDown className={cn("ml-auto size-4 shrink-0 text-muted transition-transform", collapsed && "-rotate-90")} />
          </button>
        </h2>
        {(state === "paused" || state === "failed") && (
          <Button size="sm" variant="secondary" onClick={onResume} className="shrink-0">
            <IconSend className="size-4" />
            {state === "failed" ? "Retry queue" : "Resume queue"}
          </Button>
        )}
      </div>
      {!collapsed && (
        <ol id={listId} className="max-h-[30dvh] divide-y divide-wait/20 overflow-y-auto border-t border-wait/20">
          {items.map((m, i) => (
            <QueuedRow key={m.id} message={m} index={i} count={items.length} queue={queue} sending={m.id === sendingId} />
          ))}
        </ol>
      )}
    </section>
  );
}

function QueuedRow({
  message,
  index,
  count,
  queue,
  sending,
}: {
  message: QueuedMessage;
  index: number;
  count: number;
  queue: MessageQueue;
  sending: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(message.text);
  const n = index + 1;
  const editId = useId();

  if (editing) {
    const save = () => {
      queue.edit(message.id, text);
      setEditing(false);
    };
    return (
      <li className="px-3 py-2">
        <label htmlFor={editId} className="sr-only">
          Queued text {n}
        </label>
        <textarea
          id={editId}
          autoFocus
          value={text}
          rows={Math.min(6, Math.max(2, text.split("\n").length))}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              setText(message.text);
              setEditing(false);
            } else if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              save();
            }
          }}
          className="block w-full resize-y rounded-lg border border-border bg-bg px-2.5 py-2 text-[16px] leading-6 outline-none focus:border-accent"
        />
        <div className="mt-2 flex justify-end gap-2">
          <Button size="sm" variant="ghost" onClick={() => (setText(message.text), setEditing(false))}>
            Cancel
          </Button>
          <Button size="sm" variant="primary" onClick={save}>
            Save
          </Button>
        </div>
      </li>
    );
  }

  return (
    <li className="flex flex-col gap-0.5 py-1 pr-1 pl-3 sm:flex-row sm:items-center sm:gap-2">
      <p className="flex min-w-0 flex-1 items-baseline gap-2 pt-1.5 text-sm sm:pt-0">
        <span aria-hidden="true" className="shrink-0 font-semibold text-wait tabular-nums">
          {n}.
        </span>
        <span className="line-clamp-2 min-w-0 [overflow-wrap:anywhere] whitespace-pre-wrap">{message.text}</span>
        {sending && <span className="shrink-0 text-xs font-medium text-muted">Sending…</span>}
      </p>
      <div className="-ml-2 flex shrink-0 items-center sm:ml-0">
        <button
          type="button"
          aria-label={`Edit queued message ${n}`}
          title="Edit"
          className={iconBtn}
          disabled={sending}
          onClick={() => (setText(message.text), setEditing(true))}
        >
          <IconPencil className="size-4" />
        </button>
        <button
          type="button"
          aria-label={`Move queued message ${n} up`}
          title="Move up"
          className={iconBtn}
          disabled={index === 0 || sending}
          onClick={() => queue.move(message.id, -1)}
        >
          <IconArrowDown className="size-4 rotate-180" />
        </button>
        <button
          type="button"
          aria-label={`Move queued message ${n} down`}
          title="Move down"
          className={iconBtn}
          disabled={index === count - 1 || sending}
          onClick={() => queue.move(message.id, 1)}
        >
          <IconArrowDown className="size-4" />
        </button>
        <button
          type="button"
          aria-label={`Remove queued message ${n}`}
          title="Remove"
          className={cn(iconBtn, "hover:text-bad")}
          disabled={sending}
          onClick={() => queue.remove(message.id)}
        >
          <IconX className="size-4" />
        </button>
      </div>
    </li>
  );
}
