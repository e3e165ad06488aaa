"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { IconCheck, IconRefresh, IconX } from "../ui/icons";
import { splitInstall } from "../agents/provider-install";
import { SettingsSection } from "./settings-section";
import { useToast } from "../ui/toaster";
import type { DetectedProvider } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { CodeBlock } from "../ui/copy-button";
import { FieldError, FormError, Input } from "../ui/field";
import { Ticks } from "../ui/ticks";

const SOURCE_LABEL: Record<NonNullable<DetectedProvider["source"]>, string> = {
  bundled: "built in",
  configured: "custom path",
  PATH: "found on PATH",
};

/**
 * The Doctor: which agent CLIs are installed, their versions and paths, what to run to install
 * the missing ones, and a custom binary path per provider.
 */
export function SettingsDoctor({ asPage = false }: { asPage?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detect = useQuery(trpc.providers.detect.queryOptions(undefined, { staleTime: 30_000 }));
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);

  async function recheck() {
    setChecking(true);
    setCheckError(null);
    try {
      const fresh = await queryClient.fetchQuery(trpc.providers.detect.queryOptions({ fresh: true }, { staleTime: 0 }));
      queryClient.setQueryData(trpc.providers.detect.queryKey(), fresh);
    } catch (err) {
      setCheckError(readError(err).message);
    } finally {
      setChecking(false);
    }
  }

  const ready = detect.data?.filter((p) => p.installed).length ?? 0;
  const total = detect.data?.length ?? 0;

  return (
    <SettingsSection
      id={asPage ? "doctor" : "providers"}
      title={asPage ? "Doctor" : "Providers"}
      headingLevel={asPage ? 1 : 2}
      description="The AI coding CLIs Maestro can drive on this machine. Agents run whichever one you pick."
      actions={
        <Button size="sm" onClick={recheck} disabled={checking} aria-busy={checking || undefined}>
          <IconRefresh className={cn("size-4", checking && "animate-spin")} />
          Re-check
        </Button>
      }
    >
      <p aria-live="polite" className="mb-3 text-sm text-muted">
        {checking ? "Checking each CLI…" : detect.data ? `${ready} of ${total} providers ready` : ""}
      </p>
      {(detect.error || checkError) && <FormError className="mb-3">{checkError ?? readError(detect.error).message}</FormError>}
      <ul className="space-y-3">
        {detect.isPending &&
          [0, 1, 2].map((i) => <li key={i} aria-hidden="true" className="h-24 rounded-2xl border border-border bg-surface" />)}
        {detect.data?.map((p) => (
          <ProviderRow key={p.id} provider={p} />
        ))}
      </ul>
    </SettingsSection>
  );
}

/** A custom path is set (working or not). The API has no field for it yet: read the notes. */
function hasCustomPath(p: DetectedProvider) {
  return p.source === "configured" || p.notes.some((n) => n.startsWith("The configured path"));
}

function ProviderRow({ provider: p }: { provider: DetectedProvider }) {
  const install = splitInstall(p.install);
  const [editing, setEditing] = useState(hasCustomPath(p));
  // "x is not installed: <install line>" repeats the install block below: say it once.
  const notes = p.notes.filter((n) => !(install.command && n.includes(install.command)));
  return (
    <li className="rounded-2xl border border-border bg-surface p-4 sm:p-5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="text-base font-semibold tracking-tight">{p.label}</h3>
        {p.installed ? (
          <span className="inline-flex items-center gap-1 rounded-full bg-ok/12 py-0.5 pr-2.5 pl-1.5 text-[13px] font-semibold text-ok">
            <IconCheck className="size-3.5" /> Installed
          </span>
        ) : (
          <span className="inline-flex items-center gap-1 rounded-full bg-bad/10 py-0.5 pr-2.5 pl-1.5 text-[13px] font-semibold text-bad">
            <IconX className="size-3.5" /> Not installed
          </span>
        )}
        {p.version && <span className="font-mono text-[13px] text-muted tabular-nums">v{p.version}</span>}
      </div>

      {p.path && (
        <p className="mt-2 flex min-w-0 flex-wrap items-baseline gap-x-2 text-[13px] text-muted">
          <span className="min-w-0 font-mono break-all text-text/85">{p.path}</span>
          {p.source && <span className="shrink-0">({SOURCE_LABEL[p.source]})</span>}
        </p>
      )}

      {notes.length > 0 && (
        <ul className="mt-2 space-y-1 text-sm leading-relaxed text-muted">
          {notes.map((n) => (
            <li key={n}>
              <Ticks text={n} />
            </li>
          ))}
        </ul>
      )}

      {install.command && (
        <div className="mt-3">
          <p className="mb-1.5 text-sm font-medium">{p.installed ? "Update with" : "Install with"}</p>
          <CodeBlock code={install.command} copyLabel={`Copy install command for ${p.label}`} />
          {install.after && <p className="mt-1.5 text-sm text-muted">{install.after}</p>}
        </div>
      )}
      {!install.command && p.id === "simulator" && <p className="mt-2 text-sm text-muted">{p.install}</p>}

      {p.id !== "simulator" &&
        (editing ? (
          <PathForm provider={p} onDone={() => setEditing(false)} />
        ) : (
          <button
            type="button"
            aria-label={`Set a custom path for ${p.label}`}
            onClick={() => setEditing(true)}
            className="mt-2 -ml-2 inline-flex min-h-11 items-center rounded-lg px-2 text-sm font-medium text-accent hover:bg-accent/10 lg:min-h-8"
          >
            Custom path…
          </button>
        ))}
    </li>
  );
}

function PathForm({ provider: p, onDone }: { provider: DetectedProvider; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const inputId = useId();
  const [value, setValue] = useState(
    p.source === "configured" ? (p.path ?? "") : (/^The configured path (.+) is not/.exec(p.notes[0] ?? "")?.[1] ?? ""),
  );
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.providers.setPath.mutationOptions({
      onSuccess: (fresh, vars) => {
        queryClient.setQueryData(trpc.providers.detect.queryKey(), fresh);
        const found = fresh.find((x) => x.id === p.id);
        if (vars.path && found && !found.installed) setError(found.notes[0] ?? "Nothing executable at that path.");
        else {
          toast(vars.path ? `${p.label} will run from ${vars.path}` : `${p.label} is looked up on PATH again`);
          if (!vars.path) onDone();
        }
      },
      onError: (err) => setError(readError(err).fieldErrors.path ?? readError(err).message),
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    save.mutate({ id: p.id, path: value.trim() || null });
  }
  return (
    <form onSubmit={submit} noValidate className="mt-3 border-t border-border pt-3">
      <label htmlFor={inputId} className="mb-1.5 block text-sm font-medium">
        Custom binary path <span className="sr-only">for {p.label}</span>
      </label>
      <div className="flex flex-wrap gap-2">
        <Input
          id={inputId}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={`/usr/local/bin/${p.id}`}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          className="min-w-0 flex-1 basis-60 font-mono"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : `${inputId}-hint`}
        />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" size="sm" disabled={save.isPending} aria-label={`Save path for ${p.label}`}>
            Save
          </Button>
          {hasCustomPath(p) ? (
            <Button size="sm" onClick={() => save.mutate({ id: p.id, path: null })} aria-label={`Use PATH for ${p.label}`}>
              Use PATH
            </Button>
          ) : (
            <Button size="sm" variant="ghost" onClick={onDone}>
              Cancel
            </Button>
          )}
        </div>
      </div>
      <FieldError id={`${inputId}-error`}>{error}</FieldError>
      {!error && (
        <p id={`${inputId}-hint`} className="mt-1.5 text-sm text-muted">
          Leave empty to find {p.label} on PATH.
        </p>
      )}
    </form>
  );
}
