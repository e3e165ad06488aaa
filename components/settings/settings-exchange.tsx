"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { useMe } from "../agents/use-agents";
import { Button } from "../ui/button";
import { FieldError, FormError, Hint, Input, Label } from "../ui/field";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import { SettingsSection } from "./settings-section";

/** Where the Playbook Exchange reads its catalogue; empty is the community registry. */
export function SettingsExchange() {
  const trpc = useTRPC();
  const current = useQuery(trpc.exchange.settings.queryOptions());
  return (
    <SettingsSection
      id="exchange"
      title="Playbook Exchange"
      description="Where Auto Run's Exchange reads its catalogue: a manifest.json laid out as the community registry is. Leave it empty for the community registry."
    >
      {current.error && <FormError>{readError(current.error).message}</FormError>}
      {current.data ? (
        <UrlForm key={current.data.url ?? ""} url={current.data.url} defaultUrl={current.data.defaultUrl} />
      ) : (
        !current.error && <div aria-hidden="true" className="h-36 rounded-2xl border border-border bg-surface" />
      )}
    </SettingsSection>
  );
}

function UrlForm({ url, defaultUrl }: { url: string | null; defaultUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const me = useMe();
  const id = useId();
  const [value, setValue] = useState(url ?? "");
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.exchange.setUrl.mutationOptions({
      onSuccess: (v) => {
        queryClient.setQueryData(trpc.exchange.settings.queryKey(), v);
        void queryClient.invalidateQueries(trpc.exchange.catalogue.pathFilter());
        toast(v.url ? "The Playbook Exchange now reads that manifest." : "The Playbook Exchange reads the community registry again.");
      },
      onError: (err) => {
        const e = readError(err);
        setError(e.fieldErrors.url ?? e.message);
      },
    }),
  );
  const send = (next: string | null) => {
    setError(null);
    save.mutate({ url: next });
  };
  return (
    <form
      className="space-y-2 rounded-2xl border border-border bg-surface p-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send(value.trim() || null);
      }}
    >
      <Label htmlFor={id}>Playbook Exchange URL</Label>
      <div className="flex flex-wrap gap-2">
        <Input
          id={id}
          type="url"
          inputMode="url"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder={defaultUrl}
          className="min-w-0 flex-1 basis-64 font-mono text-[14px]"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
        />
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        {url && (
          <Button variant="ghost" onClick={() => send(null)} disabled={save.isPending}>
            Use the default
          </Button>
        )}
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
      <Hint id={`${id}-hint`}>
        Your own playbooks:{" "}
        {me.data?.dataDir ? (
          <code className="font-mono text-[13px] break-all">{me.data.dataDir}/local-manifest.json</code>
        ) : (
          "local-manifest.json in the data directory"
        )}
        , the same format, listed beside the Exchange&apos;s (an entry with the same id replaces its).
      </Hint>
    </form>
  );
}
