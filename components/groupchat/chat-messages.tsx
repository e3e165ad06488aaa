"use client";

import Link from "next/link";
import { lazy, Suspense, useState } from "react";
import type { ChatMessageView, ParticipantView } from "@/lib/groupchat/types";
import { withoutFinalMarker } from "@/lib/groupchat/mentions";
import { formatCost, formatDuration, formatTokens } from "@/lib/transcript/format";
import { IconChevronDown } from "../ui/icons";
import { cn } from "../ui/cn";
import { Spinner } from "../conversation/icons";
import { agentTabHref, MESSAGE_STATUS_LABEL, participantColor } from "./chat-meta";

export const loadMarkdown = () => import("../conversation/markdown");
const Markdown = lazy(loadMarkdown);

/** Markdown once its renderer has loaded (it is in no page's first-load JS); plain text until then. */
function Rich({ text }: { text: string }) {
  const plain = <div className="[overflow-wrap:anywhere] whitespace-pre-wrap">{text}</div>;
  return <Suspense fallback={plain}>{<Markdown text={text} />}</Suspense>;
}

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function Numbers({ m }: { m: ChatMessageView }) {
  const parts = [
    m.durationMs != null ? formatDuration(m.durationMs) : null,
    m.inputTokens + m.outputTokens > 0 ? `${formatTokens(m.inputTokens)} in · ${formatTokens(m.outputTokens)} out` : null,
    m.costUsd > 0 ? formatCost(m.costUsd) : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return <span className="tabular-nums">{parts.join(" · ")}</span>;
}

/** The user's message: a bubble on the right. */
export function UserBubble({ m }: { m: ChatMessageView }) {
  return (
    <article aria-label="Your message" data-message-id={m.id} className="flex justify-end">
      <div className="max-w-[85%] rounded-2xl rounded-br-md bg-accent px-4 py-2.5 text-[15px] leading-relaxed text-accent-fg shadow-sm">
        <p className="[overflow-wrap:anywhere] whitespace-pre-wrap">{m.text}</p>
        <p className="mt-1 text-right text-[11px] opacity-75">{clock(m.createdAt)}</p>
      </div>
    </article>
  );
}

const MODERATOR_KIND: Record<string, string> = {
  delegation: "delegates",
  answer: "answers",
  synthesis: "sums up",
  retry: "corrects its delegation",
};

/** The moderator's message: a bubble on the left, markdown, with what it did (delegates, answers). */
export function ModeratorBubble({ m, activity }: { m: ChatMessageView; activity?: string }) {
  const text = withoutFinalMarker(m.text);
  const streaming = m.status === "streaming";
  return (
    <article aria-label={`Moderator ${m.agentName}`} data-message-id={m.id} data-status={m.status} className="flex justify-start">
      <div className="w-full max-w-[92%] rounded-2xl rounded-bl-md border border-border bg-surface px-4 py-3 text-[15px] leading-relaxed shadow-sm lg:max-w-[85%]">
        <p className="mb-1 flex items-center gap-1.5 text-xs font-semibold text-muted">
          {streaming && <Spinner className="size-3.5 text-busy" />}
          <span>
            {m.agentName} · moderator {MODERATOR_KIND[m.kind] ?? ""}
          </span>
          <span className="ml-auto font-normal">{clock(m.createdAt)}</span>
        </p>
        {text ? <Rich text={text} /> : streaming ? <p className="text-muted">Thinking…</p> : null}
        {streaming && activity && <p className="mt-1.5 truncate font-mono text-xs text-muted">{activity}</p>}
        {m.status !== "done" && m.status !== "streaming" && (
          <p className={cn("mt-2 text-sm font-medium", m.status === "failed" ? "text-bad" : "text-muted")}>
            {MESSAGE_STATUS_LABEL[m.status]}
            {m.error ? `: ${m.error}` : ""}
          </p>
        )}
        <p className="mt-1.5 text-xs text-muted">
          <Numbers m={m} />
        </p>
      </div>
    </article>
  );
}

/** A notice from Maestro itself (round limit, a participant added by mention, a lost delegation). */
export function SystemNotice({ m }: { m: ChatMessageView }) {
  return (
    <p role="note" data-message-id={m.id} className="mx-auto max-w-md rounded-xl bg-surface-2 px-3 py-2 text-center text-[13px] text-muted">
      {m.text}
    </p>
  );
}

/**
 * A participant's answer: its colour and name, live text and activity while it works, then its
 * numbers and status; collapsible (older rounds start collapsed); "Open in agent" for the owner.
 */
export function ParticipantCard({
  m,
  participant,
  activity,
  defaultOpen,
  showAgentLink,
}: {
  m: ChatMessageView;
  participant: ParticipantView | undefined;
  activity?: string;
  defaultOpen: boolean;
  showAgentLink: boolean;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const streaming = m.status === "streaming";
  const expanded = open || streaming;
  const color = participantColor(participant?.colorIndex ?? 0);
  const bad = m.status === "failed" || m.status === "timeout";
  const tabId = m.tabId ?? participant?.tabId ?? null;
  const firstLine = m.text.trim().split("\n")[0] ?? "";
  return (
    <article
      aria-label={`${m.agentName}'s answer`}
      data-message-id={m.id}
      data-status={m.status}
      className="overflow-hidden rounded-2xl border border-border bg-surface shadow-sm"
      style={{ borderLeftColor: color, borderLeftWidth: 4 }}
    >
      <button
        type="button"
        aria-expanded={expanded}
        onClick={() => setOpen(!expanded)}
        className="flex min-h-12 w-full items-center gap-2.5 px-3.5 py-2 text-left hover:bg-surface-2/60"
      >
        <span
          aria-hidden="true"
          className={cn("size-2.5 shrink-0 rounded-full", streaming && "motion-safe:animate-pulse")}
          style={{ backgroundColor: color }}
        />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[15px] font-semibold">{m.agentName}</span>
          {!expanded && firstLine && <span className="block truncate text-[13px] text-muted">{firstLine}</span>}
        </span>
        <span
          className={cn(
            "inline-flex shrink-0 items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold",
            streaming
              ? "bg-busy/14 text-busy"
              : bad
                ? "bg-bad/12 text-bad"
                : m.status === "done"
                  ? "bg-ok/12 text-ok"
                  : "bg-surface-2 text-muted",
          )}
        >
          {streaming && <Spinner className="size-3" />}
          {MESSAGE_STATUS_LABEL[m.status]}
        </span>
        <IconChevronDown className={cn("size-4 shrink-0 text-muted transition-transform", expanded && "rotate-180")} />
      </button>
      {expanded && (
        <div className="border-t border-border/70 px-3.5 py-3 text-[15px] leading-relaxed">
          {m.text ? (
            <Rich text={m.text} />
          ) : streaming ? (
            <p className="text-muted">Starting…</p>
          ) : (
            <p className="text-muted">{m.status === "stopped" ? "Stopped before it answered." : "No answer."}</p>
          )}
          {streaming && activity && <p className="mt-1.5 truncate font-mono text-xs text-muted">{activity}</p>}
          {/* A stopped card says so in its badge; a failure or a timeout says why. */}
          {m.error && m.status !== "stopped" && (
            <p className={cn("mt-2 text-sm font-medium", bad ? "text-bad" : "text-muted")}>{m.error}</p>
          )}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-border/70 px-3.5 py-1.5 text-xs text-muted">
        <Numbers m={m} />
        {showAgentLink && m.agentId && (
          <Link
            href={agentTabHref(m.agentId, tabId)}
            className="ml-auto inline-flex min-h-11 items-center font-medium text-accent hover:underline lg:min-h-8"
          >
            Open in agent
          </Link>
        )}
      </div>
    </article>
  );
}
