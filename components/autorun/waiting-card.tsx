"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { loadMarkdown } from "../conversation/transcript-rows";
import { Button } from "../ui/button";
import { Dialog, DialogBody } from "../ui/dialog";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import type { RunDetail } from "./run-progress";
import { IconPlay } from "./run-icons";

const Markdown = lazy(loadMarkdown);

type Waiting = NonNullable<RunDetail["documents"][number]["waitingOn"]>;

/**
 * A run paused for a person: what the gate says, the file it asks them to read (desktop's HITL
 * `artifact`), and for a task marked for a human, one tap to say it is done.
 */
export function WaitingCard({ detail, waiting, owner }: { detail: RunDetail; waiting: Waiting; owner: boolean }) {
  const { run } = detail;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [reading, setReading] = useState(false);
  const done = useMutation(
    trpc.autorun.resume.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.autorun.pathFilter()),
      onError: (err: unknown) => toast(readError(err).message, "bad"),
    }),
  );
  const title = waiting.kind === "human" ? "A task for you" : waiting.kind === "hitl" ? "Needs your review" : "Review gate";
  return (
    <div role="status" className="mt-3 rounded-xl bg-wait/10 px-3 py-2.5" data-testid="run-waiting">
      <p className="text-sm font-semibold text-wait">{title}</p>
      {waiting.kind === "human" ? (
        <>
          <p className="mt-0.5 text-[15px] font-medium [overflow-wrap:anywhere]" data-testid="run-pause-reason">
            {waiting.reason}
          </p>
          <p className="mt-0.5 text-sm text-muted">
            in {detail.documents[run.docIndex]?.filename}. Done it? Tick it here. Or leave it: the run goes on without the rest of this
            document.
          </p>
        </>
      ) : (
        <p className="mt-0.5 text-[15px] [overflow-wrap:anywhere]" data-testid="run-pause-reason">
          {run.pauseReason}
        </p>
      )}
      {(waiting.artifact || waiting.kind === "human") && owner && (
        <div className="mt-2 flex flex-wrap gap-2">
          {waiting.artifact && (
            <Button onClick={() => setReading(true)} className="min-w-0" data-testid="run-artifact">
              <span className="truncate">Open {waiting.artifact.split("/").pop()}</span>
            </Button>
          )}
          {waiting.kind === "human" && (
            <Button variant="primary" onClick={() => done.mutate({ id: run.id, markDone: true })} disabled={done.isPending}>
              <IconPlay /> Done: tick it and go on
            </Button>
          )}
        </div>
      )}
      {waiting.artifact && reading && <ArtifactDialog agentId={run.agentId} path={waiting.artifact} onClose={() => setReading(false)} />}
    </div>
  );
}

function ArtifactDialog({ agentId, path, onClose }: { agentId: string; path: string; onClose: () => void }) {
  const trpc = useTRPC();
  const file = useQuery(trpc.autorun.artifact.queryOptions({ agentId, path }, { retry: false }));
  return (
    <Dialog open onClose={onClose} title={path} size="lg" variant="sheet">
      <DialogBody className="max-h-[70dvh] text-[15px] leading-6">
        {file.isPending && <p className="text-muted">Loading…</p>}
        {file.error && <p className="text-bad">{readError(file.error).message}</p>}
        {file.data &&
          (file.data.markdown ? (
            <Suspense fallback={<pre className="whitespace-pre-wrap">{file.data.content}</pre>}>
              <Markdown text={file.data.content} />
            </Suspense>
          ) : (
            <pre className="font-mono text-[13px] whitespace-pre-wrap">{file.data.content}</pre>
          ))}
      </DialogBody>
    </Dialog>
  );
}
