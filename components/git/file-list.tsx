"use client";

import type { RouterOutputs } from "../ui/trpc-types";

export type ChangedFile = RouterOutputs["diffs"]["files"]["files"][number];

const STATUS_CLASS: Record<string, string> = { A: "text-ok", "?": "text-ok", D: "text-bad", R: "text-accent", C: "text-accent" };

/** Changed files: status letter, path (old → new for a rename), +added −removed or "binary". */
export function FileList({ files, onOpen }: { files: ChangedFile[]; onOpen: (f: ChangedFile) => void }) {
  if (!files.length) return <p className="p-4 text-sm text-muted">No changes.</p>;
  return (
    <ul className="divide-y divide-border" aria-label="Changed files">
      {files.map((f) => (
        <li key={`${f.oldPath ?? ""}\0${f.path}`}>
          <button
            type="button"
            onClick={() => onOpen(f)}
            className="flex min-h-11 w-full items-center gap-3 px-3 py-2 text-left text-sm hover:bg-surface-2 lg:min-h-9"
          >
            <span className={`w-4 shrink-0 text-center font-mono font-semibold ${STATUS_CLASS[f.status] ?? "text-wait"}`} title={f.status}>
              {f.status === "?" ? "U" : f.status}
            </span>
            <span className="min-w-0 flex-1 truncate font-mono text-[13px]" title={f.path}>
              {f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}
            </span>
            {f.binary ? (
              <span className="shrink-0 text-xs text-muted">binary</span>
            ) : (
              <span className="shrink-0 font-mono text-xs">
                <span className="text-ok">+{f.added}</span> <span className="text-bad">−{f.removed}</span>
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
