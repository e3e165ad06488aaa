"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { FieldError, FormError, Hint, Input } from "../../ui/field";
import { readError } from "../../ui/trpc-error";
import { usePutTunnelView, type RemoteView } from "./use-tunnel-view";

/** Quick or named tunnel; a named one takes its host name and token. Shown while the tunnel is down. */
export function ModeForm({ view }: { view: RemoteView }) {
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
    save.mutate(
      mode === "quick" ? { mode } : { mode, hostname: hostname.trim() || null, ...(token.trim() ? { token: token.trim() } : {}) },
    );
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
              <input
                type="radio"
                name={`${id}-mode`}
                value={value}
                checked={mode === value}
                onChange={() => choose(value)}
                className="mt-1 size-4 accent-[var(--color-accent)]"
              />
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
              <code className="font-mono">{view.target}</code>, copy the token. It is kept on this machine and handed to cloudflared in its
              environment, never on its command line.
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
