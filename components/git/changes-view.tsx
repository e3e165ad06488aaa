"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { IconArrowLeft } from "../ui/icons";
import { relativeTime } from "../ui/relative-time";
import { useNow } from "../ui/use-now";
import { readError } from "../ui/trpc-error";
import { DiffView, type DiffSource } from "./diff-view";
import { FinishPanel } from "./finish-panel";
import { FileList, type ChangedFile } from "./file-list";

type Mode = "unstaged" | "staged" | "log";

function Segmented({ mode, onChange }: { mode: Mode; onChange: (m: Mode) => void }) {
  const item = (m: Mode, label: string) => (
    <button
      type="button"
      aria-pressed={mode === m}
      onClick={() => onChange(m)}
      className={
        mode === m
          ? "flex h-9 flex-1 items-center justify-center rounded-md bg-surface px-3 text-sm font-medium text-text shadow-sm lg:h-7 lg:flex-none"
          : "flex h-9 flex-1 items-center justify-center rounded-md px-3 text-sm text-muted hover:text-text lg:h-7 lg:flex-none"
      }
    >
      {label}
    </button>
  );
  return (
    <div className="border-b border-border px-2 py-1">
      <div role="group" aria-label="Changes" className="flex rounded-lg bg-surface-2 p-0.5 lg:inline-flex">
        {item("unstaged", "Unstaged")}
        {item("staged", "Staged")}
        {item("log", "Log")}
      </div>
    </div>
  );
}

function WorkFiles({ agentId, staged, onOpen }: { agentId: string; staged: boolean; onOpen: (f: ChangedFile) => void }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.diffs.files.queryOptions({ agentId, staged }), staleTime: 0 });
  if (q.error) return <p className="p-4 text-sm text-bad">{readError(q.error).message}</p>;
  if (!q.data) return <p className="p-4 text-sm text-muted">Loading…</p>;
  return (
    <>
      <FileList files={q.data.files} onOpen={onOpen} />
      {q.data.untrackedMore > 0 && <p className="p-3 text-xs text-muted">and {q.data.untrackedMore} more untracked files</p>}
    </>
  );
}

function Log({ agentId, onOpen }: { agentId: string; onOpen: (sha: string, subject: string) => void }) {
  const trpc = useTRPC();
  const now = useNow();
  const q = useInfiniteQuery(
    trpc.diffs.log.infiniteQueryOptions(
      { agentId, limit: 50 },
      { getNextPageParam: (p) => (p.more ? p.commits.at(-1)?.sha : undefined), staleTime: 0 },
    ),
  );
  if (q.error) return <p className="p-4 text-sm text-bad">{readError(q.error).message}</p>;
  if (!q.data) return <p className="p-4 text-sm text-muted">Loading…</p>;
  const commits = q.data.pages.flatMap((p) => p.commits);
  if (!commits.length) return <p className="p-4 text-sm text-muted">No commits yet.</p>;
  return (
    <>
      <ul className="divide-y divide-border" aria-label="Commits">
        {commits.map((c) => (
          <li key={c.sha}>
            <button
              type="button"
              onClick={() => onOpen(c.sha, c.subject)}
              className="flex min-h-11 w-full flex-col px-3 py-2 text-left hover:bg-surface-2"
            >
              <span className="truncate text-sm text-text">{c.subject}</span>
              <span className="truncate text-xs text-muted">
                <span className="font-mono">{c.sha.slice(0, 7)}</span> · {c.author} · {relativeTime(c.time, now)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {q.hasNextPage && (
        <div className="p-3">
          <Button size="sm" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
            Older commits
          </Button>
        </div>
      )}
    </>
  );
}

function CommitFiles({
  agentId,
  sha,
  subject,
  onBack,
  onOpen,
}: {
  agentId: string;
  sha: string;
  subject: string;
  onBack: () => void;
  onOpen: (f: ChangedFile) => void;
}) {
  const trpc = useTRPC();
  const q = useQuery(trpc.diffs.commit.queryOptions({ agentId, sha }));
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-border px-2 py-1">
        <Button variant="ghost" size="sm" onClick={onBack} aria-label="Back to the log">
          <IconArrowLeft className="size-4" />
        </Button>
        <span className="min-w-0 flex-1 truncate text-sm">{subject}</span>
        <span className="font-mono text-xs text-muted">{sha.slice(0, 7)}</span>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {q.error && <p className="p-4 text-sm text-bad">{readError(q.error).message}</p>}
        {q.data && <FileList files={q.data.files} onOpen={onOpen} />}
      </div>
    </div>
  );
}

/**
 * The agent's Changes: Unstaged (working tree vs index, untracked files included as added),
 * Staged (index vs HEAD), and the branch's Log with each commit's files. Tap a file for its diff.
 */
export default function ChangesView({ agentId }: { agentId: string }) {
  const [mode, setMode] = useState<Mode>("unstaged");
  const [file, setFile] = useState<ChangedFile | null>(null);
  const [commit, setCommit] = useState<{ sha: string; subject: string } | null>(null);
  const change = (m: Mode) => {
    setMode(m);
    setFile(null);
    setCommit(null);
  };
  let body;
  if (file) {
    const source: DiffSource = commit ? { kind: "commit", sha: commit.sha } : { kind: "work", staged: mode === "staged" };
    body = <DiffView agentId={agentId} source={source} file={file} onBack={() => setFile(null)} />;
  } else if (commit) {
    body = <CommitFiles agentId={agentId} sha={commit.sha} subject={commit.subject} onBack={() => setCommit(null)} onOpen={setFile} />;
  } else {
    body = (
      <div className="min-h-0 flex-1 overflow-y-auto">
        {mode === "log" ? (
          <Log agentId={agentId} onOpen={(sha, subject) => setCommit({ sha, subject })} />
        ) : (
          <>
            <FinishPanel agentId={agentId} />
            <WorkFiles agentId={agentId} staged={mode === "staged"} onOpen={setFile} />
          </>
        )}
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="changes-view">
      <Segmented mode={mode} onChange={change} />
      {body}
    </div>
  );
}
