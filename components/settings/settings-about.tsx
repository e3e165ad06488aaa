"use client";

import { readError } from "../ui/trpc-error";
import { SettingsSection } from "./settings-section";
import { CopyButton } from "../ui/copy-button";
import { FormError } from "../ui/field";
import { useMe } from "../agents/use-agents";

/** Version, data directory and host of the bridge this app talks to. */
export function SettingsAbout() {
  const me = useMe();
  const rows: { label: string; value: string | undefined; mono?: boolean; copy?: string }[] = [
    { label: "Version", value: me.data ? `Maestro ${me.data.version}` : undefined },
    { label: "Host", value: me.data?.hostname ?? undefined, mono: true },
    { label: "Data directory", value: me.data?.dataDir ?? undefined, mono: true, copy: "Copy data directory" },
  ];
  return (
    <SettingsSection id="about" title="About" description="The Maestro bridge this app is connected to.">
      {me.error && <FormError>{readError(me.error).message}</FormError>}
      <dl className="divide-y divide-border rounded-2xl border border-border bg-surface px-4 sm:px-5">
        {rows.map((r) => (
          <div key={r.label} className="grid gap-1 py-3.5 sm:grid-cols-[10rem_1fr] sm:items-center sm:gap-4">
            <dt className="text-sm font-medium text-muted">{r.label}</dt>
            <dd className="flex min-w-0 items-center gap-2">
              {r.value ? (
                <span className={r.mono ? "min-w-0 flex-1 font-mono text-[13px] break-all" : "min-w-0 flex-1 text-[15px]"}>{r.value}</span>
              ) : (
                <span aria-hidden="true" className="h-4 w-40 rounded bg-surface-2" />
              )}
              {r.copy && r.value && <CopyButton text={r.value} label={r.copy} className="-my-2" />}
            </dd>
          </div>
        ))}
      </dl>
    </SettingsSection>
  );
}
