"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { createContext, lazy, memo, Suspense, useContext, useMemo, useState } from "react";
import { parseChecklist } from "@/lib/autorun/checklist";
import { documentHref } from "@/lib/autorun/direct-run";
import { checklistFromReply, suggestDocumentName } from "@/lib/autorun/from-reply";
import { parseSpecPrompt } from "@/lib/prompts/spec";
import type { Turn } from "@/lib/transcript/build";
import { useTRPC } from "@/lib/trpc/client";
import { RunButton } from "../autorun/run-button";
import { useRunDocuments } from "../autorun/run-sheet";
import { buttonClass } from "../ui/button";
import { IconPlaybook } from "../ui/icons";

// The dialog (its form, preview and run sheet) loads when first opened, not with every conversation.
const SaveChecklistDialog = lazy(() => import("./save-checklist").then((m) => ({ default: m.SaveChecklistDialog })));

/**
 * Who may act on finished turns: set by the owner's conversation (the agent it belongs to), not
 * by a teammate's shared view or a run's task stream, which get no actions.
 */
export const TurnActionsContext = createContext<{ agentId: string } | null>(null);

/** The reply's text as written: its text items, in order. */
const replyOf = (turn: Turn) =>
  turn.items
    .flatMap((i) => (i.kind === "text" ? [i.text] : []))
    .join("\n\n")
    .trim();

/**
 * What a finished turn offers under its footer: a reply with a checklist can be saved as an Auto
 * Run document; a `/spec` turn whose document now exists offers Run and Open.
 */
export const TurnActions = memo(function TurnActions({ turn }: { turn: Turn }) {
  const ctx = useContext(TurnActionsContext);
  if (!ctx || turn.status !== "done") return null;
  return <FinishedTurnActions agentId={ctx.agentId} turn={turn} />;
});

function FinishedTurnActions({ agentId, turn }: { agentId: string; turn: Turn }) {
  const checklist = useMemo(() => checklistFromReply(replyOf(turn)), [turn]);
  const spec = useMemo(() => parseSpecPrompt(turn.prompt), [turn.prompt]);
  const [saving, setSaving] = useState(false);
  if (!checklist && !spec) return null;
  return (
    <div className="flex flex-col gap-2 pb-3">
      {spec && <SpecResult agentId={agentId} file={spec.file} />}
      {checklist && (
        <>
          <button type="button" onClick={() => setSaving(true)} className={buttonClass("secondary", "sm", "self-start")}>
            <IconPlaybook className="size-4" />
            Save as Auto Run document
            <span className="font-normal text-muted">
              · {checklist.tasks.length} task{checklist.tasks.length === 1 ? "" : "s"}
            </span>
          </button>
          {saving && (
            <Suspense>
              <SaveChecklistDialog
                agentId={agentId}
                checklist={checklist}
                suggested={suggestDocumentName(checklist.title, turn.prompt)}
                open
                onClose={() => setSaving(false)}
              />
            </Suspense>
          )}
        </>
      )}
    </div>
  );
}

/** After `/spec`: the document the agent was asked to write, once it exists, with Run and Open. */
function SpecResult({ agentId, file }: { agentId: string; file: string }) {
  const trpc = useTRPC();
  const doc = useQuery(trpc.documents.read.queryOptions({ agentId, path: file }, { retry: false, staleTime: 5000 }));
  const runner = useRunDocuments(agentId);
  const name = file.replace(/\.md$/i, "");
  const tasks = useMemo(() => (doc.data ? parseChecklist(doc.data.content).total : 0), [doc.data]);
  if (doc.isPending) return null;
  if (!doc.data)
    return (
      <p className="text-sm text-muted">
        The agent did not save <span className="font-mono">{file}</span> in the Auto Run folder.
      </p>
    );
  return (
    <div
      role="group"
      aria-label={`Checklist ${name}`}
      className="flex flex-wrap items-center gap-2 rounded-xl border border-border bg-surface px-3 py-2"
    >
      <span className="flex min-w-[12rem] flex-1 items-center gap-2 text-[15px]">
        <IconPlaybook className="size-5 shrink-0 text-accent" />
        <span className="min-w-0 break-words">
          <span className="font-medium">{file}</span>
          <span className="text-muted">
            {" "}
            · {tasks} task{tasks === 1 ? "" : "s"}
          </span>
        </span>
      </span>
      <span className="ml-auto flex items-center gap-2">
        <Link href={documentHref(agentId, file)} className={buttonClass("ghost", "sm")} aria-label={`Open ${name}`}>
          Open
        </Link>
        <RunButton
          name={name}
          onRun={() => runner.run({ paths: [file] })}
          onOptions={() => runner.options({ paths: [file] })}
          pending={runner.pending}
          disabled={tasks === 0}
        />
      </span>
      {runner.sheet}
    </div>
  );
}
