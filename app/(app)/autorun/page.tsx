"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useId } from "react";
import { DocumentEditor } from "@/components/autorun/document-editor";
import { AutorunRunsSection } from "@/components/autorun/playbook-list";
import { DocumentList } from "@/components/autorun/document-list";
import { useLiveDocuments } from "@/components/autorun/use-documents";
import { IconPlaybook, IconPlus } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Label, Select } from "@/components/ui/field";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useShell } from "@/components/shell/shell-context";
import { useAgents } from "@/components/agents/use-agents";

/**
 * Auto Run home: pick an agent (or arrive from one with ?agent=), see its checklist documents
 * with their progress, open one in the editor (?doc=). Phone: list, then the editor full width;
 * desktop: both side by side.
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

  const go = (next: { agent?: string; doc?: string | null }) => {
    const q = new URLSearchParams();
    q.set("agent", next.agent ?? agent?.id ?? "");
    const d = next.doc === undefined ? doc : next.doc;
    if (d) q.set("doc", d);
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };

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
        {agent && (
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
