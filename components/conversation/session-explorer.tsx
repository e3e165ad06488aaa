"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { useTRPC } from "@/lib/trpc/client";
import { IconCheck, IconPencil, IconSearch, IconStar, IconX } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog, DialogBody } from "../ui/dialog";
import { FormError, inputClass } from "../ui/field";
import { formatDateTime, relativeTime } from "../ui/relative-time";
import { useNow } from "../ui/use-now";
import { Spinner } from "./icons";

type Session = RouterOutputs["sessions"]["list"][number];
type Tab = RouterOutputs["sessions"]["resume"];

function providerName(id: string) {
  return PROVIDERS[id as ProviderId]?.label ?? id;
}

function sessionTitle(s: Session) {
  return s.name || s.title || "Untitled session";
}

/**
 * The session explorer: every conversation of this agent's folder, from Maestro's tabs and from
 * the provider's own history, searchable; star, rename, and resume one into a tab.
 */
export function SessionExplorer({
  open,
  onClose,
  agentId,
  agentName,
  onResumed,
}: {
  open: boolean;
  onClose: () => void;
  agentId: string;
  agentName: string;
  onResumed: (tab: Tab) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Sessions" description={`Conversations in ${agentName}'s folder`} variant="sheet" size="lg">
      <SessionList agentId={agentId} onResumed={onResumed} />
    </Dialog>
  );
}

function SessionList({ agentId, onResumed }: { agentId: string; onResumed: (tab: Tab) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const searchId = useId();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = window.setTimeout(() => setQuery(text.trim()), 250);
    return () => window.clearTimeout(t);
  }, [text]);

  const listOptions = trpc.sessions.list.queryOptions({ agentId, query: query || undefined }, { placeholderData: keepPreviousData });
  const sessions = useQuery(listOptions);
  const refetch = () => queryClient.invalidateQueries(trpc.sessions.list.pathFilter());
  const [error, setError] = useState<string | null>(null);
  const onError = (what: string) => (err: unknown) => setError(`Couldn't ${what}: ${readError(err).message}`);

  const star = useMutation(trpc.sessions.star.mutationOptions({ onError: onError("star the session"), onSettled: refetch }));
  const rename = useMutation(trpc.sessions.rename.mutationOptions({ onError: onError("rename the session"), onSettled: refetch }));
  const resume = useMutation(
    trpc.sessions.resume.mutationOptions({
      onSuccess: (tab) => onResumed(tab),
      onError: onError("resume the session"),
    }),
  );
  const now = useNow();
  const searching = sessions.isFetching && query !== "";
  const list = sessions.data ?? [];

  return (
    <>
      <div className="shrink-0 px-5 pt-2 pb-2">
        <label htmlFor={searchId} className="sr-only">
          Search sessions
        </label>
        <div className="relative">
          <IconSearch aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-5 -translate-y-1/2 text-muted" />
          <input
            id={searchId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Search titles and messages"
            autoComplete="off"
            data-autofocus
            className={cn(inputClass, "pr-10 pl-10")}
          />
          {searching && (
            <span className="absolute top-1/2 right-3 -translate-y-1/2 text-muted">
              <Spinner className="size-4" />
              <span className="sr-only">Searching…</span>
            </span>
          )}
        </div>
      </div>
      <DialogBody className="pt-1">
        {error && (
          <FormError className="mb-3" hint="Try again; if it keeps failing, check that Maestro is running.">
            {error}
          </FormError>
        )}
        {sessions.isPending ? (
          <p className="flex items-center gap-2 py-6 text-sm text-muted">
            <Spinner className="size-4" /> Loading sessions…
          </p>
        ) : sessions.error ? (
          <FormError hint={readError(sessions.error).hint}>{readError(sessions.error).message}</FormError>
        ) : list.length === 0 ? (
          <div className="py-6 text-center text-[15px] leading-relaxed text-muted">
            {query ? (
              <p>No session mentions “{query}”.</p>
            ) : (
              <>
                <p className="font-medium text-text">No sessions yet.</p>
                <p className="mx-auto mt-1 max-w-sm">
                  Every conversation in this folder shows up here, including ones started outside Maestro (in the provider&apos;s own CLI),
                  so you can resume them in a tab.
                </p>
              </>
            )}
          </div>
        ) : (
          <ul aria-label="Sessions" className="-mx-2 divide-y divide-border/70">
            {list.map((s) => (
              <SessionRow
                key={`${s.provider}:${s.sessionId}`}
                session={s}
                now={now}
                resuming={resume.isPending && resume.variables?.sessionId === s.sessionId}
                onStar={() => {
                  setError(null);
                  queryClient.setQueryData(listOptions.queryKey, (old) =>
                    old?.map((x) => (x.sessionId === s.sessionId ? { ...x, starred: !s.starred } : x)),
                  );
                  star.mutate({ agentId, sessionId: s.sessionId, starred: !s.starred });
                }}
                onRename={(name) => {
                  setError(null);
                  queryClient.setQueryData(listOptions.queryKey, (old) =>
                    old?.map((x) => (x.sessionId === s.sessionId ? { ...x, name } : x)),
                  );
                  rename.mutate({ agentId, sessionId: s.sessionId, name });
                }}
                onResume={() => {
                  setError(null);
                  resume.mutate({ agentId, sessionId: s.sessionId });
                }}
              />
            ))}
          </ul>
        )}
      </DialogBody>
    </>
  );
}

function SessionRow({
  session: s,
  now,
  resuming,
  onStar,
  onRename,
  onResume,
}: {
  session: Session;
  now: number;
  resuming: boolean;
  onStar: () => void;
  onRename: (name: string | null) => void;
  onResume: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState("");
  const inputId = useId();
  const title = sessionTitle(s);

  function save(e: FormEvent) {
    e.preventDefault();
    setRenaming(false);
    const next = name.trim() || null;
    if (next !== s.name) onRename(next);
  }

  const iconBtn =
    "inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text lg:size-9";

  return (
    <li className="flex items-start gap-1 px-2 py-2.5">
      <button
        type="button"
        aria-label={`Star session ${title}`}
        aria-pressed={s.starred}
        title={s.starred ? "Unstar" : "Star"}
        onClick={onStar}
        className={cn(iconBtn, s.starred && "text-busy hover:text-busy")}
      >
        <IconStar filled={s.starred} className="size-5" />
      </button>
      <div className="min-w-0 flex-1 py-1">
        {renaming ? (
          <form onSubmit={save} className="flex items-center gap-1">
            <label htmlFor={inputId} className="sr-only">
              Session name
            </label>
            <input
              id={inputId}
              autoFocus
              value={name}
              maxLength={120}
              placeholder={s.title}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Escape") {
                  e.preventDefault();
                  e.stopPropagation();
                  setRenaming(false);
                }
              }}
              className={cn(inputClass, "min-h-10 flex-1 py-1")}
            />
            <button type="submit" aria-label="Save name" className={iconBtn}>
              <IconCheck className="size-5" />
            </button>
            <button type="button" aria-label="Cancel renaming" onClick={() => setRenaming(false)} className={iconBtn}>
              <IconX className="size-5" />
            </button>
          </form>
        ) : (
          <p className="line-clamp-2 text-[15px] leading-snug font-medium break-words text-text" title={s.name ? s.title : undefined}>
            {title}
          </p>
        )}
        <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
          <time dateTime={new Date(s.updatedAt).toISOString()} title={formatDateTime(s.updatedAt)}>
            {relativeTime(s.updatedAt, now)}
          </time>
          {s.tabId && (
            <span className="rounded-full border border-accent/40 bg-accent/10 px-2 py-0.5 font-medium text-accent">Open in a tab</span>
          )}
          {s.inStore && !s.inMaestro && (
            <span className="rounded-full border border-border bg-surface-2 px-2 py-0.5">
              Found in {providerName(s.provider)}&apos;s history
            </span>
          )}
        </div>
      </div>
      {!renaming && (
        <div className="flex shrink-0 items-center gap-0.5">
          <button
            type="button"
            aria-label={`Rename session ${title}`}
            title="Rename"
            onClick={() => {
              setName(s.name ?? "");
              setRenaming(true);
            }}
            className={iconBtn}
          >
            <IconPencil className="size-4" />
          </button>
          <Button
            size="sm"
            variant={s.tabId ? "secondary" : "primary"}
            aria-label={`Resume ${title}`}
            onClick={onResume}
            disabled={resuming}
            aria-busy={resuming || undefined}
          >
            {resuming ? <Spinner className="size-4" /> : null}
            Resume
          </Button>
        </div>
      )}
    </li>
  );
}
