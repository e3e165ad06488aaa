"use client";

import { useIsFetching, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { CLOUDFLARED_RELEASES } from "@/lib/tunnel/install";
import { newerView } from "@/lib/tunnel/revision";
import { IconBusy, IconCheck, IconError, IconIdle, IconRefresh, IconWaiting } from "../ui/icons";
import { SettingsSection } from "./settings-section";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { CodeBlock, CopyButton } from "../ui/copy-button";
import { FieldError, FormError, Hint, Input } from "../ui/field";
import { useNow } from "../ui/use-now";

type RemoteView = RouterOutputs["tunnel"]["status"];
type Status = RemoteView["status"];

/**
 * Remote access: the Cloudflare tunnel (start/stop, quick or named, the public URL with its QR
 * code and a pairing link on it), what to install when cloudflared is missing, and the LAN URLs.
 */
/** Stores a tunnel view from any source (reply or push), keeping the newer one if they crossed. */
function usePutTunnelView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (v: RemoteView) => queryClient.setQueryData(trpc.tunnel.status.queryKey(), (old) => newerView(old, v));
}

export function SettingsRemote() {
  const trpc = useTRPC();
  // Replies and pushed statuses can arrive out of order: every source keeps the newer view.
  const view = useQuery(trpc.tunnel.status.queryOptions(undefined, { structuralSharing: (old, next) => newerView(old as RemoteView | undefined, next as RemoteView) }));
  const put = usePutTunnelView();
  useSubscription(trpc.tunnel.onStatus.subscriptionOptions(undefined, { onData: put }));
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const onError = (err: unknown) => {
    const e = readError(err);
    setError({ message: e.message, hint: e.hint });
  };
  const start = useMutation(trpc.tunnel.start.mutationOptions({ onSuccess: put, onError }));
  const stop = useMutation(trpc.tunnel.stop.mutationOptions({ onSuccess: put, onError }));

  const v = view.data;
  const s = v?.status;
  const up = s && (s.state === "starting" || s.state === "running" || s.state === "restarting");

  return (
    <SettingsSection
      id="remote"
      title="Remote access"
      description="Reach Maestro from your phone anywhere through a Cloudflare tunnel: https, so the app installs, notifies and works offline. Only paired devices get in."
      actions={
        s && s.state !== "missing" ? (
          up ? (
            <Button size="sm" variant="secondary" disabled={stop.isPending} onClick={() => (setError(null), stop.mutate())}>
              Stop tunnel
            </Button>
          ) : (
            <Button size="sm" variant="primary" disabled={start.isPending} onClick={() => (setError(null), start.mutate())}>
              {s.state === "failed" ? "Try again" : "Start tunnel"}
            </Button>
          )
        ) : null
      }
    >
      {view.error && <FormError className="mb-3">{readError(view.error).message}</FormError>}
      {error && (
        <FormError className="mb-3" hint={error.hint}>
          {error.message}
        </FormError>
      )}
      {view.isPending && <div aria-hidden="true" className="h-40 rounded-2xl border border-border bg-surface" />}
      {v && s && (
        <div className="space-y-4">
          <div className="rounded-2xl border border-border bg-surface p-4 sm:p-5">
            <StateLine status={s} />
            {s.state === "running" && s.url && v.qr && <PublicUrl url={s.url} qr={v.qr} />}
            {s.state === "missing" && <Install steps={v.install} />}
            {s.state !== "missing" && !up && <ModeForm view={v} />}
          </div>
          <LanUrls lan={v.lan} emphasize={s.state === "missing" || s.state === "failed"} />
        </div>
      )}
    </SettingsSection>
  );
}

function StateLine({ status: s }: { status: Status }) {
  const now = useNow(1000);
  const inS = s.retryAt ? Math.max(0, Math.ceil((s.retryAt - now) / 1000)) : 0;
  const info = {
    idle: { Icon: IconIdle, tone: "text-muted", text: "Tunnel off" },
    starting: { Icon: IconBusy, tone: "text-accent", text: "Starting cloudflared…" },
    running: { Icon: IconCheck, tone: "text-ok", text: s.connected ? "Tunnel running" : "Tunnel running (connecting to Cloudflare…)" },
    restarting: { Icon: IconWaiting, tone: "text-wait", text: s.retryAt ? `Restarting in ${inS} s (attempt ${s.failures + 1} of ${s.maxFailures})` : "Restarting…" },
    failed: { Icon: IconError, tone: "text-bad", text: "Tunnel stopped: it kept failing" },
    missing: { Icon: IconError, tone: "text-bad", text: "cloudflared is not installed" },
  }[s.state];
  return (
    <div role="status" aria-live="polite">
      <p className={cn("flex items-center gap-2 font-semibold", info.tone)}>
        <info.Icon className={cn("size-4 shrink-0", s.state === "starting" && "animate-spin")} />
        <span>{info.text}</span>
        <span className="ml-auto text-xs font-normal text-muted">{s.mode === "named" ? "Named tunnel" : "Quick tunnel"}</span>
      </p>
      {s.error && !(s.state === "missing" && /not installed/.test(s.error)) && <p className="mt-1.5 break-words text-sm text-muted">{s.error}</p>}
      {s.state === "missing" && (
        <p className="mt-1.5 text-sm text-muted">
          Maestro runs Cloudflare&apos;s <code className="font-mono text-[13px]">cloudflared</code> from your PATH (or a path you set below). Install it, then
          start the tunnel here or with <code className="font-mono text-[13px]">npm start -- --tunnel</code>.
        </p>
      )}
    </div>
  );
}

function PublicUrl({ url, qr }: { url: string; qr: string }) {
  const trpc = useTRPC();
  const pair = useMutation(trpc.tunnel.pairingLink.mutationOptions());
  return (
    <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
      <img src={qr} alt={`QR code for ${url}`} width={176} height={176} className="size-44 shrink-0 self-center rounded-xl bg-white p-1 sm:self-start" />
      <div className="min-w-0 flex-1 space-y-3">
        <div>
          <p className="text-sm font-medium">Public URL</p>
          <div className="mt-1 flex items-center gap-1">
            <a href={url} target="_blank" rel="noreferrer" data-testid="tunnel-url" className="min-w-0 break-all font-mono text-[15px] text-accent underline-offset-2 hover:underline">
              {url}
            </a>
            <CopyButton text={url} label="Copy public URL" />
          </div>
          <Hint className="mt-1">Open it on your phone, then pair that browser (cookies are per address).</Hint>
        </div>
        {pair.data ? (
          <div className="rounded-xl border border-border bg-bg p-3">
            <p className="text-sm font-medium">Pairing link (one use, expires in an hour)</p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
            <img src={pair.data.qr} alt="QR code of the pairing link" width={176} height={176} className="mt-2 size-44 rounded-lg bg-white p-1" />
            <CodeBlock code={pair.data.url} copyLabel="Copy pairing link" className="mt-2" />
          </div>
        ) : (
          <Button size="sm" onClick={() => pair.mutate()} disabled={pair.isPending}>
            Pair a phone through the tunnel
          </Button>
        )}
        {pair.error && <FormError>{readError(pair.error).message}</FormError>}
      </div>
    </div>
  );
}

function Install({ steps }: { steps: RemoteView["install"] }) {
  return (
    <div className="mt-4 space-y-4">
      {steps.map((step) => (
        <div key={step.os}>
          <h3 className="mb-1.5 text-sm font-semibold">{step.label}</h3>
          <div className="space-y-1.5">
            {step.commands.map((c) => (
              <CodeBlock key={c} code={c} copyLabel={`Copy: ${c}`} />
            ))}
          </div>
        </div>
      ))}
      <p className="text-sm text-muted">
        Other systems: download a build from{" "}
        <a href={CLOUDFLARED_RELEASES} target="_blank" rel="noreferrer" className="text-accent underline">
          cloudflared&apos;s releases
        </a>
        . Then press Re-check.
      </p>
      <RecheckAndPath />
    </div>
  );
}

function RecheckAndPath() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const checking = useIsFetching(trpc.tunnel.status.queryFilter()) > 0;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <Button size="sm" onClick={() => void queryClient.invalidateQueries(trpc.tunnel.status.queryFilter())} disabled={checking} aria-busy={checking || undefined}>
        <IconRefresh className="size-4" />
        Re-check
      </Button>
      <BinaryPathForm />
    </div>
  );
}

function BinaryPathForm() {
  const trpc = useTRPC();
  const put = usePutTunnelView();
  const id = useId();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.tunnel.configure.mutationOptions({
      onSuccess: (v) => {
        put(v);
        if (v.status.state === "missing") setError(v.status.error);
      },
      onError: (err) => setError(readError(err).message),
    }),
  );
  return (
    <form
      className="flex min-w-0 flex-1 basis-72 flex-wrap gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        save.mutate({ binaryPath: value.trim() || null });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Path to cloudflared
      </label>
      <Input
        id={id}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="/path/to/cloudflared"
        className="min-w-0 flex-1 basis-48 font-mono"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <Button type="submit" size="sm" disabled={save.isPending}>
        Use this path
      </Button>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </form>
  );
}

function ModeForm({ view }: { view: RemoteView }) {
  const trpc = useTRPC();
  const put = usePutTunnelView();
  const id = useId();
  const [mode, setMode] = useState(view.config.mode);
  const [hostname, setHostname] = useState(view.config.hostname ?? "");
  const [token, setToken] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.tunnel.configure.mutationOptions({
      onSuccess: (v) => {
        put(v);
        setToken("");
        setSaved(true);
      },
      onError: (err) => {
        const e = readError(err);
        setErrors({ ...e.fieldErrors, _: e.fieldErrors.hostname ? "" : e.message });
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setSaved(false);
    save.mutate(mode === "quick" ? { mode } : { mode, hostname: hostname.trim() || null, ...(token.trim() ? { token: token.trim() } : {}) });
  }
  const choose = (m: "quick" | "named") => {
    setMode(m);
    setSaved(false);
    // Quick needs nothing more: save the choice at once.
    if (m === "quick" && view.config.mode !== "quick") save.mutate({ mode: "quick" });
  };
  return (
    <form onSubmit={submit} noValidate className="mt-4 border-t border-border pt-4">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Kind of tunnel</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(
            [
              ["quick", "Quick tunnel", "A new random https://….trycloudflare.com address each start. No account needed."],
              ["named", "Named tunnel", "Your own host name on Cloudflare, with a tunnel token from its dashboard."],
            ] as const
          ).map(([value, label, note]) => (
            <label
              key={value}
              className={cn(
                "flex min-h-11 cursor-pointer gap-3 rounded-xl border p-3",
                mode === value ? "border-accent bg-accent/6" : "border-border hover:bg-surface-2",
              )}
            >
              <input type="radio" name={`${id}-mode`} value={value} checked={mode === value} onChange={() => choose(value)} className="mt-1 size-4 accent-[var(--color-accent)]" />
              <span>
                <span className="block text-[15px] font-medium">{label}</span>
                <span className="block text-[13px] text-muted">{note}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {mode === "named" && (
        <div className="mt-4 space-y-3">
          <div>
            <label htmlFor={`${id}-host`} className="mb-1.5 block text-sm font-medium">
              Public host name
            </label>
            <Input
              id={`${id}-host`}
              value={hostname}
              onChange={(e) => setHostname(e.target.value)}
              placeholder="maestro.example.com"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              aria-invalid={errors.hostname ? true : undefined}
              aria-describedby={`${id}-host-error`}
            />
            <FieldError id={`${id}-host-error`}>{errors.hostname}</FieldError>
          </div>
          <div>
            <label htmlFor={`${id}-token`} className="mb-1.5 block text-sm font-medium">
              Tunnel token
            </label>
            <Input
              id={`${id}-token`}
              type="password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder={view.config.hasToken ? "Stored — paste a new one to replace it" : "eyJhIjoi…"}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${id}-token-hint`}
            />
            <Hint id={`${id}-token-hint`} className="mt-1">
              Cloudflare dashboard → Zero Trust → Networks → Tunnels → create a tunnel, route your host name to{" "}
              <code className="font-mono">{view.target}</code>, copy the token. It is kept on this machine
              and handed to cloudflared in its environment, never on its command line.
            </Hint>
          </div>
          <div className="flex items-center gap-3">
            <Button type="submit" size="sm" variant="primary" disabled={save.isPending}>
              Save named tunnel
            </Button>
            {saved && <span className="text-sm text-ok">Saved</span>}
          </div>
        </div>
      )}
      {errors._ && <FormError className="mt-3">{errors._}</FormError>}
    </form>
  );
}

function LanUrls({ lan, emphasize }: { lan: RemoteView["lan"]; emphasize: boolean }) {
  return (
    <details open={emphasize || undefined} className="group rounded-2xl border border-border bg-surface">
      <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 px-4 py-3 text-[15px] font-semibold sm:px-5">
        On the same network (LAN)
        <span className="ml-auto text-xs font-normal text-muted">{lan.listening ? `${lan.urls.length} address${lan.urls.length === 1 ? "" : "es"}` : "not listening"}</span>
      </summary>
      <div className="border-t border-border px-4 pb-4 pt-3 sm:px-5">
        <p className="text-sm text-muted">
          Plain http: the app works as a page, but installing it, notifications and offline use need https (the tunnel) or localhost.
        </p>
        {lan.hint && <p className="mt-2 rounded-xl border border-wait/40 bg-wait/8 px-3 py-2 text-sm">{lan.hint}</p>}
        {lan.listening && (
          <ul className="mt-3 flex flex-wrap gap-4">
            {lan.urls.map((u, i) => (
              <li key={u} className="flex flex-col items-center gap-2">
                {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
                <img src={lan.qr[i]} alt={`QR code for ${u}`} width={144} height={144} className="size-36 rounded-lg bg-white p-1" />
                <span className="flex items-center gap-1">
                  <span className="font-mono text-[13px]">{u}</span>
                  <CopyButton text={u} label={`Copy ${u}`} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
