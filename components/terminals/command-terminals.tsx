"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { IconPlus, IconX } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { XtermView } from "./xterm-view";

const TERM_PARAM = "term";

function setTermParam(id: string | null) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set(TERM_PARAM, id);
  else url.searchParams.delete(TERM_PARAM);
  if (url.href !== window.location.href) window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}

/** Phones (and anything without a hardware keyboard) get the key bar. */
function useNeedsKeyBar(): boolean {
  const [needs, setNeeds] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia("(pointer: coarse), (max-width: 767px)");
    const update = () => setNeeds(mq.matches);
    update();
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);
  return needs;
}

/**
 * An agent's command terminals: tabs of real shells in the agent's folder. Loaded with a
 * dynamic import (xterm.js is big), only when the user first opens the terminal view.
 */
export default function CommandTerminals({ agentId, active }: { agentId: string; active: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listOptions = trpc.terminals.list.queryOptions({ agentId });
  const list = useQuery({ ...listOptions, refetchOnWindowFocus: true });
  const terminals = useMemo(() => list.data ?? [], [list.data]);
  const [wanted, setWanted] = useState<string | null>(() =>
    typeof window === "undefined" ? null : new URL(window.location.href).searchParams.get(TERM_PARAM),
  );
  const [renaming, setRenaming] = useState<string | null>(null);
  const keyBar = useNeedsKeyBar();
  const selected = terminals.find((t) => t.id === wanted) ?? terminals[0] ?? null;

  useEffect(() => {
    if (active && selected) setTermParam(selected.id);
  }, [active, selected]);

  const refetch = () => queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
  const select = (id: string | null) => {
    setWanted(id);
    setTermParam(id);
  };

  const create = useMutation(
    trpc.terminals.create.mutationOptions({
      onSuccess: (t) => {
        queryClient.setQueryData(listOptions.queryKey, (old) => (old ? [...old.filter((o) => o.id !== t.id), t] : [t]));
        select(t.id);
        void refetch();
      },
      onError: (err) => toast(`Couldn't open a terminal: ${readError(err).message}`, "bad"),
    }),
  );
  const close = useMutation(
    trpc.terminals.close.mutationOptions({
      onSuccess: ({ id }) => {
        const i = terminals.findIndex((t) => t.id === id);
        const rest = terminals.filter((t) => t.id !== id);
        queryClient.setQueryData(listOptions.queryKey, rest);
        if (selected?.id === id) select(rest[Math.min(i, rest.length - 1)]?.id ?? null);
        void refetch();
      },
      onError: (err) => toast(`Couldn't close the terminal: ${readError(err).message}`, "bad"),
      onSettled: () => void refetch(),
    }),
  );
  const rename = useMutation(trpc.terminals.rename.mutationOptions({ onSettled: () => void refetch() }));

  const open = () => {
    if (!create.isPending) create.mutate({ agentId });
  };

  // Opening the terminal view with no terminal starts one: one tap to a shell.
  const autoOpened = useRef(false);
  useEffect(() => {
    if (!active || autoOpened.current || !list.isSuccess || terminals.length > 0) return;
    autoOpened.current = true;
    open();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the view first shows with no terminal; `open` is a new function every render
  }, [active, list.isSuccess, terminals.length]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-1 border-b border-border bg-surface/70 px-2">
        <div role="tablist" aria-label="Terminals" className="flex min-w-0 flex-1 gap-1 overflow-x-auto py-1">
          {terminals.map((t) => (
            <div
              key={t.id}
              className={cn("flex shrink-0 items-center rounded-lg", t.id === selected?.id ? "bg-surface-2 text-text" : "text-muted")}
            >
              {renaming === t.id ? (
                <input
                  aria-label="Terminal name"
                  defaultValue={t.name}
                  autoFocus
                  maxLength={80}
                  className="h-9 w-32 rounded-lg border border-border bg-surface px-2 text-base lg:text-sm"
                  onBlur={(e) => {
                    setRenaming(null);
                    const name = e.currentTarget.value.trim();
                    if (name && name !== t.name) rename.mutate({ id: t.id, name });
                  }}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") e.currentTarget.blur();
                    if (e.key === "Escape") setRenaming(null);
                  }}
                />
              ) : (
                <button
                  type="button"
                  role="tab"
                  aria-selected={t.id === selected?.id}
                  className="flex h-11 items-center gap-1.5 px-3 text-sm lg:h-9"
                  onClick={() => select(t.id)}
                  onDoubleClick={() => setRenaming(t.id)}
                  onKeyDown={(e) => e.key === "F2" && setRenaming(t.id)}
                  title="Double-click (or F2) to rename"
                >
                  {t.name}
                  {t.exit && <span className="text-xs text-muted">(ended)</span>}
                </button>
              )}
              <button
                type="button"
                aria-label={`Close ${t.name}`}
                className="inline-flex size-11 items-center justify-center rounded-lg text-muted hover:text-text lg:size-8"
                onClick={() => close.mutate({ id: t.id })}
              >
                <IconX className="size-4" />
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          aria-label="New terminal"
          className="inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-muted hover:bg-surface-2 hover:text-text lg:size-9"
          onClick={open}
          disabled={create.isPending}
        >
          <IconPlus className="size-5" />
        </button>
      </div>
      {list.error ? (
        <div className="p-4">
          <FormError hint={readError(list.error).hint}>{readError(list.error).message}</FormError>
        </div>
      ) : selected ? (
        <XtermView
          key={selected.id}
          terminalId={selected.id}
          active={active}
          showKeyBar={keyBar}
          onGone={() => void refetch()}
          onRestart={() => close.mutate({ id: selected.id }, { onSuccess: open })}
        />
      ) : (
        <div className="flex flex-1 flex-col items-center justify-center gap-4 p-6 text-center">
          <p className="max-w-sm text-[15px] text-muted">
            A command terminal is your own shell in this agent&apos;s folder. It keeps running when you leave.
          </p>
          <Button variant="primary" onClick={open} disabled={create.isPending}>
            <IconPlus className="size-5" />
            Open a terminal
          </Button>
        </div>
      )}
    </div>
  );
}
