"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { RunBody } from "../autorun/run-page";
import { useLiveAutorun } from "../autorun/use-autorun";
import { PageHeader } from "../ui/page-header";
import { readError } from "../ui/trpc-error";
import { FormError } from "../ui/field";
import { usePageTitle } from "../ui/use-page-title";
import { useSharedAccess } from "./shared-shell";

/**
 * One Auto Run as a teammate sees it: progress, documents, the task log and the live task stream;
 * Pause / Resume / Stop only for a control link (Skip and Abort stay the owner's).
 */
export function SharedRun({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const access = useSharedAccess();
  useLiveAutorun({ runId });
  const detail = useQuery(trpc.autorun.byId.queryOptions({ id: runId }));
  const history = useQuery(trpc.autorun.history.queryOptions({ runId }));
  usePageTitle(detail.data ? `Auto Run · ${detail.data.run.name} (shared)` : "Shared Auto Run");

  if (detail.error) return <FormError className="m-4">{readError(detail.error).message}</FormError>;
  if (!detail.data) return <PageHeader title="Auto Run" subtitle="Loading…" />;
  const canControl = access?.kind === "owner" || (access?.kind === "share" && access.permission === "control");
  return (
    <div className="overflow-y-auto">
      <PageHeader title={detail.data.run.name} subtitle={`Auto Run on ${detail.data.agentName}`} />
      <RunBody detail={detail.data} history={history.data} controls={canControl ? "shared" : "none"} />
    </div>
  );
}
