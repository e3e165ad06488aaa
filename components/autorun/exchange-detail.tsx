"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { lazy, Suspense, useId, useState } from "react";
import type { ExchangeEntry } from "@/lib/autorun/exchange";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError, Hint, Label, Select } from "../ui/field";
import { IconArrowLeft } from "../ui/icons";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { ClashChoice, plural } from "./playbook-choice";

const Markdown = lazy(() => import("../conversation/markdown"));
const README = "README.md";

/**
 * One playbook of the Exchange: what it is, its documents, its README (fetched when opened), and
 * Import into an agent. A clash asks Keep mine / Replace them, as the import dialog does.
 */
export function ExchangeDetail({ entry, agentId, onBack }: { entry: ExchangeEntry; agentId: string | null; onBack: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const [picked, setPicked] = useState<string | null>(null);
  const [file, setFile] = useState(README);
  const [clash, setClash] = useState<{ message: string; hint?: string } | null>(null);
  const ids = { agent: useId(), title: useId() };
  const list = agents.data ?? [];
  const target = list.find((a) => a.id === (picked ?? agentId)) ?? list[0] ?? null;

  const preview = useQuery(
    trpc.exchange.preview.queryOptions({ key: entry.key, file: file === README ? undefined : file }, { staleTime: 5 * 60_000 }),
  );
  const install = useMutation(
    trpc.exchange.import.mutationOptions({
      onSuccess: (pb) => {
        void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
        void queryClient.invalidateQueries(trpc.documents.pathFilter());
        toast(`Imported “${pb.name}” into ${target?.name ?? "the agent"} with ${plural(pb.written.length + pb.unchanged.length, "file")}.`);
        router.push(`/autorun?agent=${pb.agentId}`);
      },
      onError: (err) => {
        const e = readError(err);
        if (e.code === "CONFLICT") setClash({ message: e.message, hint: e.hint });
      },
    }),
  );
  const run = (overwrite?: boolean) => {
    if (!target) return;
    setClash(null);
    install.reset();
    install.mutate({ agentId: target.id, key: entry.key, overwrite });
  };
  const failed = install.error && readError(install.error).code !== "CONFLICT" ? readError(install.error) : null;
  const loop = entry.loopEnabled ? (entry.maxLoops ? `loops up to ${entry.maxLoops} times` : "loops until done") : "runs once";

  return (
    <article aria-labelledby={ids.title} className="space-y-5">
      <div className="flex items-start gap-2">
        <Button variant="ghost" size="icon-sm" aria-label="Back to the Exchange" className="-ml-2 lg:hidden" onClick={onBack}>
          <IconArrowLeft className="size-5" />
        </Button>
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2 text-sm text-muted">
            {[entry.category, entry.subcategory].filter(Boolean).join(" / ")}
            {entry.source === "local" && (
              <span
                className="rounded-full bg-accent/12 px-2 py-px text-xs font-semibold text-accent"
                title="From your local-manifest.json"
              >
                Local
              </span>
            )}
          </p>
          <h2 id={ids.title} className="text-[22px] leading-tight font-bold tracking-tight">
            {entry.name}
          </h2>
        </div>
      </div>
      {entry.description && <p className="text-[15px] leading-relaxed">{entry.description}</p>}
      <p className="text-sm text-muted">
        {[
          entry.author &&
            (entry.authorLink ? (
              <a
                key="a"
                href={entry.authorLink}
                target="_blank"
                rel="noopener noreferrer nofollow"
                className="text-accent underline underline-offset-2"
              >
                {entry.author}
              </a>
            ) : (
              entry.author
            )),
          `${plural(entry.documents, "document")}${entry.assets ? ` and ${plural(entry.assets, "asset")}` : ""}`,
          loop,
          entry.lastUpdated && `updated ${entry.lastUpdated}`,
        ]
          .filter(Boolean)
          .flatMap((part, i) => (i === 0 ? [part] : [" · ", part]))}
      </p>
      {entry.tags.length > 0 && (
        <ul aria-label="Tags" className="flex flex-wrap gap-1.5">
          {entry.tags.map((t) => (
            <li key={t} className="rounded-full bg-surface-2 px-2.5 py-0.5 text-xs text-muted">
              {t}
            </li>
          ))}
        </ul>
      )}

      <section aria-label="Import" className="space-y-3 rounded-2xl border border-border bg-surface p-4">
        {list.length > 1 && (
          <div>
            <Label htmlFor={ids.agent}>Import to</Label>
            <Select id={ids.agent} value={target?.id ?? ""} onChange={(e) => setPicked(e.target.value)} disabled={install.isPending}>
              {list.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </div>
        )}
        <Button variant="primary" className="w-full" disabled={!target || install.isPending} onClick={() => run()}>
          {install.isPending ? `Fetching ${plural(entry.documents + entry.assets, "file")}…` : `Import to ${target?.name ?? "an agent"}`}
        </Button>
        <Hint className="mt-0">
          {target
            ? `Documents go into ${entry.folder}/ of the Auto Run folder.`
            : "Add an agent first: a playbook is imported into an agent's Auto Run folder."}
        </Hint>
        {clash && <ClashChoice clash={clash} pending={install.isPending} onKeep={() => setClash(null)} onReplace={() => run(true)} />}
        {failed && <FormError hint={failed.hint}>{failed.message}</FormError>}
      </section>

      <section aria-label="Documents">
        <h3 className="mb-2 text-sm font-semibold text-muted">Read before importing</h3>
        <ul className="flex flex-wrap gap-1.5">
          {[README, ...entry.documentNames].map((name) => (
            <li key={name}>
              <button
                type="button"
                aria-pressed={file === name}
                onClick={() => setFile(name)}
                className={cn(
                  "min-h-11 rounded-lg border px-3 font-mono text-[13px] lg:min-h-9",
                  file === name ? "border-accent bg-accent/10 text-text" : "border-border bg-surface text-muted hover:bg-surface-2",
                )}
              >
                {name}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section
        aria-label={file === README ? "README" : file}
        className="min-h-40 rounded-2xl border border-border bg-surface px-4 py-4 text-[15px] leading-relaxed"
      >
        {preview.isPending && (
          <div aria-hidden="true" className="space-y-2">
            <div className="h-5 w-1/2 rounded bg-surface-2" />
            <div className="h-4 w-full rounded bg-surface-2" />
            <div className="h-4 w-5/6 rounded bg-surface-2" />
          </div>
        )}
        {preview.error && <FormError>{readError(preview.error).message}</FormError>}
        {preview.data?.content != null && (
          <Suspense fallback={<div className="whitespace-pre-wrap">{preview.data.content}</div>}>
            <Markdown text={preview.data.content} />
          </Suspense>
        )}
        {preview.data && preview.data.content == null && (
          <p className="text-muted">
            {preview.data.error
              ? `Could not load ${file}: ${preview.data.error}.`
              : file === README
                ? "This playbook has no README. Its documents are listed above."
                : `${file} is not in the Exchange.`}
          </p>
        )}
      </section>
    </article>
  );
}
