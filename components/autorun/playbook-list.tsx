"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { STATUS_LABEL } from "@/lib/autorun/run-view";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import { IconPencil, IconPlus, IconTrash } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { MenuButton } from "../ui/menu";
import { buttonClass } from "../ui/button";
import { PlaybookEditor, type Playbook } from "./playbook-editor";
import { PlaybookImport } from "./playbook-import";
import { IconDownload, IconExchange, IconPlay, IconUpload } from "./run-icons";
import { useLiveAutorun } from "./use-autorun";

/**
 * The Auto Run page's runs and playbooks: active runs first, then saved playbooks to start in one
 * tap. `agentId` is the agent the page shows: the Exchange opens with it chosen.
 */
export function AutorunRunsSection({ agentId }: { agentId?: string }) {
  useLiveAutorun();
  return (
    <div className="space-y-6">
      <ActiveRuns />
      <PlaybookList agentId={agentId} />
    </div>
  );
}

function ActiveRuns() {
  const trpc = useTRPC();
  const runs = useQuery(trpc.autorun.list.queryOptions({ limit: 10 }));
  const list = runs.data ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading" className="mb-2 text-lg font-semibold tracking-tight">
        Runs
      </h2>
      <ul className="space-y-2">
        {list.map((r) => (
          <li key={r.id}>
            <Link
              href={`/autorun/runs/${r.id}`}
              className="flex min-h-14 items-center gap-3 rounded-2xl border border-border bg-surface px-4 py-2.5 hover:bg-surface-2"
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{r.name}</span>
                <span className="block truncate text-sm text-muted">
                  {r.agentName} · {r.tasksDone} task{r.tasksDone === 1 ? "" : "s"} done{r.config.loopEnabled ? ` · loop ${r.loop}` : ""}
                </span>
              </span>
              <span className="shrink-0 text-sm font-medium">{STATUS_LABEL[r.status] ?? r.status}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PlaybookList({ agentId }: { agentId?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const playbooks = useQuery(trpc.playbooks.list.queryOptions({}));
  const agents = useQuery(trpc.agents.list.queryOptions());
  const names = new Map((agents.data ?? []).map((a) => [a.id, a.name]));
  const [editing, setEditing] = useState<Playbook | "new" | null>(null);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Playbook | null>(null);
  const run = useMutation(
    trpc.playbooks.run.mutationOptions({
      onSuccess: (r) => router.push(`/autorun/runs/${r.id}`),
      onError: (err) => toast(readError(err).message, "bad"),
    }),
  );
  const remove = useMutation(
    trpc.playbooks.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
        setDeleting(null);
      },
    }),
  );
  function download(filename: string, blob: Blob) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  async function exportFile(pb: Playbook, as: "zip" | "json") {
    try {
      if (as === "json") {
        const { filename, json } = await client.playbooks.export.query({ id: pb.id });
        return download(filename, new Blob([JSON.stringify(json, null, 2)], { type: "application/json" }));
      }
      const { filename, zip, missing } = await client.playbooks.exportZip.query({ id: pb.id });
      download(filename, new Blob([Uint8Array.from(atob(zip), (c) => c.charCodeAt(0))], { type: "application/zip" }));
      if (missing.length) toast(`Exported without ${missing.join(", ")}: not in the Auto Run folder.`, "bad");
    } catch (err) {
      toast(readError(err).message, "bad");
    }
  }
  const list = playbooks.data ?? [];
  return (
    <section aria-labelledby="playbooks-heading">
      <div className="flex min-h-11 items-center gap-2">
        <h2 id="playbooks-heading" className="min-w-0 flex-1 text-lg font-semibold tracking-tight">
          Playbooks
        </h2>
        <Button size="sm" onClick={() => setEditing("new")} disabled={(agents.data ?? []).length === 0}>
          <IconPlus /> New playbook
        </Button>
      </div>
      <div className="mb-2 -ml-3 flex flex-wrap gap-1">
        <Link href={agentId ? `/autorun/exchange?agent=${agentId}` : "/autorun/exchange"} className={buttonClass("ghost", "sm")}>
          <IconExchange className="size-4" /> Exchange
        </Link>
        <Button size="sm" variant="ghost" onClick={() => setImporting(true)}>
          <IconUpload /> Import
        </Button>
      </div>
      {list.length === 0 ? (
        <p className="text-[15px] text-muted">Save a run configuration as a playbook, then start it here with one tap.</p>
      ) : (
        <ul className="space-y-2">
          {list.map((pb) => (
            <li key={pb.id} className="rounded-2xl border border-border bg-surface p-3" aria-label={`Playbook ${pb.name}`}>
              <div className="flex items-center gap-3">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">{pb.name}</p>
                  <p className="truncate text-sm text-muted">
                    {names.get(pb.agentId) ?? "?"} · {pb.config.documents.length} document{pb.config.documents.length === 1 ? "" : "s"}
                    {pb.config.loopEnabled ? ` · loops${pb.config.maxLoops ? ` ×${pb.config.maxLoops}` : ""}` : ""}
                  </p>
                </div>
                <Button
                  variant="primary"
                  size="sm"
                  onClick={() => run.mutate({ id: pb.id })}
                  disabled={run.isPending}
                  aria-label={`Run ${pb.name}`}
                >
                  <IconPlay /> Run
                </Button>
              </div>
              <div className="mt-1 flex gap-1">
                <Button size="sm" variant="ghost" onClick={() => setEditing(pb)} aria-label={`Edit ${pb.name}`}>
                  <IconPencil className="size-4" /> Edit
                </Button>
                <MenuButton
                  label={`Export ${pb.name}`}
                  className={buttonClass("ghost", "sm")}
                  items={[
                    {
                      label: "Export .zip",
                      icon: <IconDownload className="size-4" />,
                      onSelect: () => void exportFile(pb, "zip"),
                    },
                    {
                      label: "Export .json",
                      icon: <IconDownload className="size-4" />,
                      onSelect: () => void exportFile(pb, "json"),
                    },
                  ]}
                >
                  <IconDownload className="size-4" /> Export
                </MenuButton>
                <Button size="sm" variant="danger-ghost" onClick={() => setDeleting(pb)} aria-label={`Delete ${pb.name}`}>
                  <IconTrash className="size-4" /> Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <PlaybookEditor open={editing !== null} onClose={() => setEditing(null)} playbook={editing === "new" ? null : editing} />
      <PlaybookImport open={importing} onClose={() => setImporting(false)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? "playbook"}?`}
        confirmLabel="Delete playbook"
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        pending={remove.isPending}
        error={remove.error ? readError(remove.error).message : null}
      >
        The documents stay where they are; only the saved configuration goes.
      </ConfirmDialog>
    </section>
  );
}
