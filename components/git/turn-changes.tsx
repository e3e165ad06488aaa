"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { readError } from "../ui/trpc-error";
import { DiffView } from "./diff-view";
import { FileList, type ChangedFile } from "./file-list";

/** What one turn changed (its before/after snapshots): the files, then a file's diff. */
export default function TurnChanges({ turnId }: { turnId: string }) {
  const trpc = useTRPC();
  const [file, setFile] = useState<ChangedFile | null>(null);
  const q = useQuery(trpc.diffs.turn.queryOptions({ turnId }));
  if (file) return <DiffView agentId="" source={{ kind: "turn", turnId }} file={file} onBack={() => setFile(null)} />;
  return (
    <div className="min-h-0 flex-1 overflow-y-auto" data-testid="turn-changes">
      {q.error && <p className="p-4 text-sm text-bad">{readError(q.error).message}</p>}
      {!q.data && !q.error && <p className="p-4 text-sm text-muted">Loading…</p>}
      {q.data && <FileList files={q.data.files} onOpen={setFile} />}
    </div>
  );
}
