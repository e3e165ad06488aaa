"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { providerLabel } from "./agent-card";
import { StatusBadge } from "./agent-status";
import { IconError } from "../ui/icons";
import { splitInstall } from "./provider-install";
import type { Agent, Group } from "../ui/trpc-types";
import { CodeBlock, CopyButton } from "../ui/copy-button";
import { formatDateTime, relativeTime } from "../ui/relative-time";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-3.5 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-muted">{label}</dt>
      <dd className="min-w-0 text-[15px]">{children}</dd>
    </div>
  );
}

/** Everything known about an agent, with what to do when its provider is missing. */
export function AgentDetails({ agent, groups, now }: { agent: Agent; groups: Group[] | undefined; now: number }) {
  const trpc = useTRPC();
  const detect = useQuery(trpc.providers.detect.queryOptions(undefined, { staleTime: 30_000 }));
  const provider = detect.data?.find((p) => p.id === agent.provider);
  const group = groups?.find((g) => g.id === agent.groupId);
  const install = provider ? splitInstall(provider.install) : null;

  return (
    <section aria-labelledby="agent-details-title" className="rounded-2xl border border-border bg-surface px-4 sm:px-5">
      <h2 id="agent-details-title" className="pt-4 pb-1 text-base font-semibold tracking-tight">
        Details
      </h2>
      <dl className="divide-y divide-border">
        <Row label="Status">
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={agent.status} />
            {agent.statusDetail && <span className="text-muted">{agent.statusDetail}</span>}
          </div>
        </Row>
        <Row label="Provider">
          <span className="font-medium">{providerLabel(agent.provider)}</span>
          {provider?.installed && (
            <span className="text-muted">
              {" "}
              · {provider.source === "bundled" ? "built in" : provider.version ? `v${provider.version}` : "installed"}
            </span>
          )}
          {provider && !provider.installed && (
            <div className="mt-2 rounded-xl border border-busy/40 bg-busy/8 p-3 text-sm">
              <p className="flex items-start gap-2 font-medium">
                <IconError className="mt-0.5 size-4 shrink-0 text-busy" />
                {providerLabel(agent.provider)} is not installed, so this agent can&apos;t run yet.
              </p>
              {install?.command && <CodeBlock code={install.command} copyLabel="Copy install command" className="mt-2 bg-surface" />}
              <p className="mt-2 text-muted">
                {install?.after ? `${install.after} ` : ""}Once it is installed, re-check in{" "}
                <Link href="/settings/doctor" className="font-medium text-accent underline-offset-2 hover:underline">
                  Doctor
                </Link>
                .
              </p>
            </div>
          )}
        </Row>
        <Row label="Project folder">
          <div className="flex items-start gap-2">
            <span className="min-w-0 flex-1 pt-1 font-mono text-[13px] leading-relaxed break-all">{agent.folder}</span>
            <CopyButton text={agent.folder} label="Copy folder path" className="-my-1.5" />
          </div>
        </Row>
        <Row label="Group">{group ? group.name : <span className="text-muted">Ungrouped</span>}</Row>
        <Row label="Last activity">
          {agent.lastActivity ? agent.lastActivity : <span className="text-muted">Nothing yet</span>}
          <span className="text-muted"> · {relativeTime(agent.updatedAt, now)}</span>
        </Row>
        <Row label="Created">
          <time dateTime={new Date(agent.createdAt).toISOString()}>{formatDateTime(agent.createdAt)}</time>
        </Row>
      </dl>
    </section>
  );
}
