"use client";

import Link from "next/link";
import { taskDocumentHref } from "@/lib/autorun/direct-run";
import { prLinkOf } from "@/lib/autorun/worktree";
import { historyPrLink } from "@/lib/git/finish";
import { formatCost, formatDuration, formatTokens } from "@/lib/transcript/format";
import { IconFile } from "../conversation/icons";
import { IconX } from "../ui/icons";
import { buttonClass } from "../ui/button";
import { Dialog, DialogBody } from "../ui/dialog";
import { formatDateTime } from "../ui/relative-time";
import { entryTitle, kindNoun, Outcome, type HistoryItem } from "./timeline";

/** Where an entry happened: the agent's conversation tab (turns, tasks), else the agent. */
export function sessionHref(e: HistoryItem): string | null {
  if (!e.agentId) return null;
  const base = `/agents/${encodeURIComponent(e.agentId)}`;
  return e.tabId ? `${base}?tab=${encodeURIComponent(e.tabId)}` : base;
}

function DetailContent({ entry }: { entry: HistoryItem }) {
  const href = sessionHref(entry);
  // A pull request entry, or a run in a worktree naming its pull request (or the compare page).
  const pr = historyPrLink(entry) ?? (entry.kind === "autorun-run" ? prLinkOf(entry.detail) : null);
  const rows: [string, React.ReactNode][] = [
    ["Agent", entry.agentName || "No agent"],
    ["When", formatDateTime(entry.createdAt)],
    ["Outcome", <Outcome key="o" success={entry.success} spelled className="align-middle" />],
    ...(entry.durationMs != null ? [["Duration", formatDuration(entry.durationMs)] as [string, React.ReactNode]] : []),
    // A share link being opened costs nothing: no token or cost rows of zeros.
    ...(entry.kind === "share-use" || entry.kind === "git-pr"
      ? []
      : ([
          ["Tokens", `${formatTokens(entry.inputTokens)} in · ${formatTokens(entry.outputTokens)} out`],
          ["Cost", formatCost(entry.costUsd)],
        ] as [string, React.ReactNode][])),
  ];
  return (
    <div className="space-y-4">
      <p className="text-[15px] leading-relaxed break-words whitespace-pre-wrap">{entryTitle(entry)}</p>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd className="tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      {entry.detail && (
        <div>
          <h3 className="mb-1.5 text-sm font-semibold">{entry.kind === "turn" ? "Prompt" : "Details"}</h3>
          <pre className="max-h-80 overflow-auto rounded-xl border border-border bg-bg p-3 font-mono text-[13px] leading-6 break-words whitespace-pre-wrap">
            {entry.detail}
          </pre>
        </div>
      )}
      {pr && (
        <a href={pr.url} target="_blank" rel="noopener noreferrer" className={buttonClass("primary", "md", "w-full")}>
          {pr.label}
        </a>
      )}
      {entry.kind === "autorun-run" && entry.runId && (
        <Link href={`/autorun/runs/${encodeURIComponent(entry.runId)}`} className={buttonClass("secondary", "md", "w-full")}>
          Open run
        </Link>
      )}
      {/* A task of a run: its document, with this summary beside it, to refine and run again. */}
      {entry.kind === "autorun-task" && entry.runId && (
        <Link href={taskDocumentHref(entry.id)} className={buttonClass("primary", "md", "w-full")}>
          <IconFile className="size-5" />
          Open document
        </Link>
      )}
      {/* A mission's entry: runId holds the mission's id. */}
      {(entry.kind === "mission" || entry.kind === "mission-feature") && entry.runId && (
        <Link href={`/missions/${encodeURIComponent(entry.runId)}`} className={buttonClass("primary", "md", "w-full")}>
          Open Mission Control
        </Link>
      )}
      {/* A group chat's delegation, answer or synthesis: the chat it belongs to, then the agent's own session. */}
      {entry.groupChatId && (
        <Link href={`/groupchats/${encodeURIComponent(entry.groupChatId)}`} className={buttonClass("primary", "md", "w-full")}>
          Open group chat
        </Link>
      )}
      {href && (
        <Link
          href={href}
          className={buttonClass(
            entry.kind === "autorun-task" || entry.kind.startsWith("mission") || pr || entry.groupChatId ? "secondary" : "primary",
            "md",
            "w-full",
          )}
        >
          {entry.tabId ? "Open session" : "Open agent"}
        </Link>
      )}
    </div>
  );
}

/** One entry in full: a bottom sheet on the phone, a panel beside the timeline on the desktop. */
export function HistoryDetail({ entry, onClose, asPanel }: { entry: HistoryItem | null; onClose: () => void; asPanel: boolean }) {
  if (asPanel) {
    if (!entry) {
      return (
        <aside aria-label="Entry details" className="rounded-2xl border border-dashed border-border p-5 text-sm text-muted">
          Select an entry to see its prompt, numbers and a link to its session.
        </aside>
      );
    }
    return (
      <aside aria-label="Entry details" className="rounded-2xl border border-border bg-surface p-5">
        <div className="mb-3 flex items-start gap-3">
          <h2 className="min-w-0 flex-1 text-lg font-semibold">{kindNoun(entry.kind)}</h2>
          <button type="button" onClick={onClose} aria-label="Close details" className={buttonClass("ghost", "icon-sm", "-mt-1 -mr-2")}>
            <IconX className="size-5" />
          </button>
        </div>
        <DetailContent entry={entry} />
      </aside>
    );
  }
  return (
    <Dialog open={!!entry} onClose={onClose} title={entry ? kindNoun(entry.kind) : ""} variant="sheet">
      <DialogBody>{entry && <DetailContent entry={entry} />}</DialogBody>
    </Dialog>
  );
}
