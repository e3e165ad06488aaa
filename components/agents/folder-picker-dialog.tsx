"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { IconArrowUp, IconChevronRight, IconFolder, IconGitBranch } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { FormError } from "../ui/field";
import { TruncatedPath } from "../ui/truncated-path";
import { useMe } from "./use-agents";

/**
 * Browses the bridge machine's folders (system.folders) so a phone never has to type a path:
 * open a folder, go up, pick the current one, or pick a git repository straight from the list.
 */
export function FolderPickerDialog({
  initialDir,
  onChoose,
  onClose,
}: {
  initialDir?: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const me = useMe();
  const [dir, setDir] = useState<string | undefined>(initialDir && initialDir.startsWith("/") ? initialDir : undefined);
  const folders = useQuery({ ...trpc.system.folders.queryOptions({ dir }), placeholderData: keepPreviousData });
  const data = folders.data;
  const home = me.data?.homeDir;

  return (
    <Dialog open onClose={onClose} title="Choose a project folder" size="md" className="sm:h-[min(40rem,85dvh)]">
      <div className="flex items-center gap-2 border-b border-border px-5 pb-3">
        <Button
          size="icon-sm"
          variant="secondary"
          aria-label="Up one folder"
          disabled={!data?.parent}
          onClick={() => data?.parent && setDir(data.parent)}
        >
          <IconArrowUp className="size-4" />
        </Button>
        <div className="min-w-0 flex-1" aria-live="polite">
          <span className="sr-only">Current folder: </span>
          {data ? <TruncatedPath path={data.dir} home={home} className="text-sm" /> : <span className="text-sm text-muted">Loading…</span>}
        </div>
        {home && data?.dir !== home && (
          <Button size="sm" variant="ghost" onClick={() => setDir(home)}>
            Home
          </Button>
        )}
      </div>
      <div className="min-h-[12rem] flex-1 overflow-y-auto px-2 py-2" aria-busy={folders.isFetching}>
        {folders.error && <FormError className="m-3">{readError(folders.error).message}</FormError>}
        {folders.isPending && !data && <FolderSkeleton />}
        {data && data.entries.length === 0 && (
          <p className="px-3 py-8 text-center text-[15px] text-muted">No sub-folders here. Choose this folder, or go up.</p>
        )}
        {data && data.entries.length > 0 && (
          <ul aria-label="Sub-folders" className={folders.isPlaceholderData ? "opacity-60" : undefined}>
            {data.entries.map((entry) => (
              <li key={entry.path} className="flex items-center gap-1">
                <button
                  type="button"
                  aria-label={`Open ${entry.name}${entry.isGitRepo ? " (git repository)" : ""}`}
                  onClick={() => setDir(entry.path)}
                  className="flex min-h-11 min-w-0 flex-1 items-center gap-3 rounded-xl px-3 py-2 text-left text-[15px] hover:bg-surface-2"
                >
                  <IconFolder className="size-5 shrink-0 text-muted" />
                  <span className="min-w-0 truncate">{entry.name}</span>
                  {entry.isGitRepo && (
                    <span className="inline-flex shrink-0 items-center gap-1 rounded-full bg-accent/12 px-2 py-0.5 text-xs font-medium text-accent">
                      <IconGitBranch className="size-3" />
                      git
                    </span>
                  )}
                  <IconChevronRight className="ml-auto size-4 shrink-0 text-muted" />
                </button>
                {entry.isGitRepo && (
                  <Button
                    size="sm"
                    variant="ghost"
                    className="text-accent"
                    aria-label={`Choose ${entry.name}`}
                    onClick={() => onChoose(entry.path)}
                  >
                    Choose
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="primary" disabled={!data} onClick={() => data && onChoose(data.dir)}>
          Choose this folder
        </Button>
      </DialogFooter>
    </Dialog>
  );
}

function FolderSkeleton() {
  return (
    <div aria-hidden="true" className="space-y-1 px-1">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex min-h-11 items-center gap-3 px-3">
          <div className="size-5 rounded bg-surface-2" />
          <div className="h-3.5 rounded bg-surface-2" style={{ width: `${30 + ((i * 17) % 40)}%` }} />
        </div>
      ))}
    </div>
  );
}
