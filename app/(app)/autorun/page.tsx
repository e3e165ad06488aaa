"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useId } from "react";
import { DocumentEditor } from "@/components/autorun/document-editor";
import { AutorunRunsSection } from "@/components/autorun/playbook-list";
import { DocumentList } from "@/components/autorun/document-list";
import { useLiveDocuments } from "@/components/autorun/use-documents";
import { TaskPanel } from "@/components/autorun/task-panel";
import { Spinner } from "@/components/conversation/icons";
import { IconPlaybook, IconPlus } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FormError, Label, Select } from "@/components/ui/field";
import { readError } from "@/components/ui/trpc-error";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useShell } from "@/components/shell/shell-context";
import { useAgents } from "@/components/agents/use-agents";
import { runAgainConfig } from "@/lib/autorun/direct-run";
import { useTRPC } from "@/lib/trpc/client";

/**
 * Auto Run home: pick an agent (or arrive from one with ?agent=), see its checklist documents
 * with their progress, open one in the editor (?doc=). Phone: list, then the editor full width;
 * desktop: both side by side. From a task of History (?entry=): the document it ran on, with the
 * task's summary beside it (above it on a phone), and Run again.
 */
export default function AutoRunPage() {
  usePageTitle("Auto Run");
  return (
    <Suspense>
      <AutoRun />
    </Suspense>
  );
}

function AutoRun() {
  const trpc = useTRPC();
  const agents = useAgents();
  const shell = useShell();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const pickerId = useId();
  const wanted = params.get("agent");
  const agent = agents.data?.find((a) => a.id === wanted) ?? agents.data?.[0] ?? null;
  const doc = agent && params.get("doc");
  useLiveDocuments(agent?.id ?? null);
  // Arriving from a task of History (?entry=): its document, with the task's summary beside it.
  const entry = params.get("entry");
  const source = useQuery(trpc.autorun.taskSource.queryOptions({ id: entry ?? "" }, { enabled: !!entry, retry: false }));
  const refine = source.data && agent?.id === source.data.agentId && doc === source.data.path ? source.data : null;

  const go = (next: { agent?: string; doc?: string | null; entry?: string }) => {
    const q = new URLSearchParams();
    q.set("agent", next.agent ?? agent?.id ?? "");
    const d = next.doc === undefined ? doc : next.doc;
    if (d) q.set("doc", d);
    if (next.entry) q.set("entry", next.entry);
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };

  // The link names only the entry: open its agent and document once they are known.
  const s = source.data;
  useEffect(() => {
    if (s && entry === s.entryId && !params.get("doc")) go({ agent: s.agentId, doc: s.path, entry: s.entryId });
  }, [s, entry]); // eslint-disable-line react-hooks/exhaustive-deps -- once per resolved entry; go and params change every render

  return (
    <>
      <PageHeader
        title="Auto Run"
        subtitle="Hand an agent a checklist and let it work through it."
        className={cn(doc && "max-lg:hidden")}
      />
      <div className={cn(pageX, "pb-8", doc && "max-lg:pt-[max(0.75rem,env(safe-area-inset-top))]")}>
        {agents.isPending && (
          <div aria-hidden="true" className="space-y-6 lg:max-w-[24rem]">
            <div className="h-[4.5rem] rounded-xl bg-surface-2/70" />
            <div className="h-52 rounded-2xl border border-border bg-surface" />
          </div>
        )}
        {agents.data && agents.data.length === 0 && (
          <div className="rounded-2xl border border-dashed border-border px-4 py-10 text-center">
            <IconPlaybook className="mx-auto size-8 text-muted" />
            <p className="mt-2 font-medium">Auto Run needs an agent</p>
            <p className="mt-1 text-sm text-muted">Each agent has its own checklists, in its project&apos;s .maestro/playbooks/ folder.</p>
            <button type="button" onClick={() => shell.openAddAgent()} className={buttonClass("primary", "md", "mt-4")}>
              <IconPlus className="size-4" /> Add an agent
            </button>
          </div>
        )}
        {entry && source.error && (
          <FormError className="mb-4" hint="Open it from History again, or pick the document below.">
            {readError(source.error).message}
          </FormError>
        )}
        {entry && source.isPending && (
          <p className="mb-4 flex items-center gap-2 text-sm text-muted">
            <Spinner className="size-4" /> Finding the task&apos;s document…
          </p>
        )}
        {agent && refine && (
          <div className="lg:grid lg:grid-cols-[minmax(0,24rem)_minmax(0,1fr)] lg:gap-8">
            <div className="max-lg:hidden">
              <TaskPanel source={refine} onClose={() => go({ doc: null })} />
            </div>
            <div>
              <div className="lg:hidden">
                <TaskPanel source={refine} collapsible onClose={() => go({ doc: null })} />
              </div>
              <DocumentEditor
                key={`${agent.id}/${refine.path}`}
                agentId={agent.id}
                path={refine.path}
                onClose={() => go({ doc: null })}
                runAs={{ label: "Run again", base: runAgainConfig(refine.path, refine.config, refine.original) }}
              />
            </div>
          </div>
        )}
        {agent && !refine && !(entry && source.isPending) && (
          <div className="lg:grid lg:grid-cols-[minmax(0,24rem)_minmax(0,1fr)] lg:gap-8">
            <div className={cn("space-y-6", doc && "max-lg:hidden")}>
              <div>
                <Label htmlFor={pickerId}>Agent</Label>
                <Select id={pickerId} value={agent.id} onChange={(e) => go({ agent: e.target.value, doc: null })}>
                  {agents.data?.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </Select>
              </div>
              <DocumentList agentId={agent.id} selected={doc} onOpen={(p) => go({ doc: p })} />
              <AutorunRunsSection agentId={agent.id} />
            </div>
            <div className={cn(!doc && "max-lg:hidden")}>
              {doc ? (
                <DocumentEditor key={`${agent.id}/${doc}`} agentId={agent.id} path={doc} onClose={() => go({ doc: null })} />
              ) : (
                <div className="flex h-full min-h-64 items-center justify-center rounded-2xl border border-dashed border-border text-sm text-muted">
                  Open a document to edit it or tick its tasks.
                </div>
              )}
            </div>
          </div>
        )}
      </div>
    </>
  );
}
