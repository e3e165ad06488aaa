"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { IconArrowLeft } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { DiffLines } from "./diff-lines";
import type { ChangedFile } from "./file-list";

export type DiffSource = { kind: "work"; staged: boolean } | { kind: "commit"; sha: string };

/** One file's diff, from the working tree/index or from a commit, with Wrap and "show anyway". */
export function DiffView({
  agentId,
  source,
  file,
  onBack,
}: {
  agentId: string;
  source: DiffSource;
  file: ChangedFile;
  onBack: () => void;
}) {
  const trpc = useTRPC();
  const [wrap, setWrap] = useState(false);
  const [full, setFull] = useState(false);
  const work = useQuery({
    ...trpc.diffs.file.queryOptions({ agentId, path: file.path, staged: source.kind === "work" && source.staged, full }),
    enabled: source.kind === "work",
  });
  const commit = useQuery({
    ...trpc.diffs.commitFile.queryOptions({ agentId, sha: source.kind === "commit" ? source.sha : "0000", path: file.path, full }),
    enabled: source.kind === "commit",
  });
  const q = source.kind === "work" ? work : commit;
  const d = q.data;
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-border px-2 py-1">
        <Button variant="ghost" size="sm" onClick={onBack} aria-label="Back to the files">
          <IconArrowLeft className="size-4" />
        </Button>
        <span className="min-w-0 flex-1 truncate font-mono text-[13px]" title={file.path}>
          {file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}
        </span>
        <Button variant={wrap ? "primary" : "ghost"} size="sm" aria-pressed={wrap} onClick={() => setWrap((w) => !w)}>
          Wrap
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-auto" data-testid="diff-scroll">
        {q.error && <p className="p-4 text-sm text-bad">{readError(q.error).message}</p>}
        {!d && !q.error && (
          <p className="p-4 text-sm text-muted" aria-busy="true">
            Loading the diff…
          </p>
        )}
        {d?.binary && (
          <p className="p-4 text-sm text-muted">
            Binary file
            {d.bytes ? `, ${d.bytes.before.toLocaleString()} → ${d.bytes.after.toLocaleString()} bytes` : ""}
            {d.bytes ? ` (${Math.abs(d.bytes.after - d.bytes.before).toLocaleString()} bytes changed)` : ""}.
          </p>
        )}
        {d && !d.binary && <DiffLines lines={d.lines} wrap={wrap} />}
        {d && d.more > 0 && (
          <div className="flex items-center gap-3 p-4 text-sm">
            <span className="text-muted">Diff too large: {d.more.toLocaleString()} more lines.</span>
            <Button size="sm" onClick={() => setFull(true)}>
              Show anyway
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}
