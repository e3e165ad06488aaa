"use client";

import { useEffect, useState, type FormEvent } from "react";
import { extractToken, guessDeviceName } from "./device-name";
import { Button } from "../ui/button";
import { FieldError, FormError, Hint, Input, Label } from "../ui/field";

type PairError = { message: string; hint?: string };

/**
 * Exchanges a one-time pairing token (from the URL fragment, or pasted) plus a device name for
 * a session cookie, then opens the app.
 */
export function PairForm() {
  const [ready, setReady] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [pasted, setPasted] = useState("");
  const [pastedError, setPastedError] = useState<string | null>(null);
  const [deviceName, setDeviceName] = useState("");
  const [error, setError] = useState<PairError | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const readHash = () => {
      const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("token");
      if (!fromHash) return;
      setToken(fromHash);
      setError(null);
      // The token is a secret: keep it out of the address bar, history and screenshots.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    };
    readHash();
    // A link opened in a tab that already shows /pair only changes the fragment.
    window.addEventListener("hashchange", readHash);
    setDeviceName(guessDeviceName(navigator.userAgent, { touchPoints: navigator.maxTouchPoints }));
    setReady(true);
    return () => window.removeEventListener("hashchange", readHash);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setPastedError(null);
    const t = token ?? extractToken(pasted);
    if (!t) {
      setPastedError(pasted.trim() ? "That doesn't look like a pairing link or token." : "Paste the pairing link or token.");
      document.getElementById("pair-token")?.focus();
      return;
    }
    setPending(true);
    try {
      const res = await fetch("/api/auth/pair", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: t, deviceName: deviceName.trim() }),
      });
      if (res.ok) {
        window.location.replace("/");
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: PairError } | null;
      setError(
        body?.error?.message
          ? { message: body.error.message, hint: body.error.hint }
          : { message: `Pairing failed (HTTP ${res.status}).`, hint: "Check that Maestro is running, then try again." },
      );
      // A used or expired link will not work again: ask for a fresh one.
      if (res.status === 401 && token) setToken(null);
    } catch {
      setError({ message: "Can't reach Maestro.", hint: "Check that it is running and that this device can reach it, then try again." });
    }
    setPending(false);
  }

  if (!ready) return <div aria-hidden="true" className="h-64" />;

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      {token ? (
        <p className="text-[15px] leading-relaxed text-muted">
          You opened a pairing link. Name this device so you can recognise it later in Settings → Devices.
        </p>
      ) : (
        <div className="space-y-3 text-[15px] leading-relaxed text-muted">
          <p>This device needs a pairing link from the machine running Maestro. Use either:</p>
          <ul className="space-y-2">
            <li className="flex gap-2.5">
              <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-accent" />
              <span>
                the link <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[13px] text-text">npm start</code> printed when
                Maestro started, or
              </span>
            </li>
            <li className="flex gap-2.5">
              <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-accent" />
              <span>
                a fresh one from <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-[13px] text-text">npm run pair</code> on
                that machine.
              </span>
            </li>
          </ul>
          <p>Open it on this device, or paste it here. Links work once and expire after an hour.</p>
        </div>
      )}

      {error && <FormError hint={error.hint}>{error.message}</FormError>}

      {!token && (
        <div>
          <Label htmlFor="pair-token">Pairing link or token</Label>
          <Input
            id="pair-token"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            placeholder="http://…/pair#token=…"
            className="font-mono"
            aria-invalid={pastedError ? true : undefined}
            aria-describedby={pastedError ? "pair-token-error" : undefined}
          />
          <FieldError id="pair-token-error">{pastedError}</FieldError>
        </div>
      )}

      <div>
        <Label htmlFor="pair-device">Device name</Label>
        <Input
          id="pair-device"
          value={deviceName}
          onChange={(e) => setDeviceName(e.target.value)}
          maxLength={80}
          autoComplete="off"
          aria-describedby="pair-device-hint"
        />
        <Hint id="pair-device-hint">Shown in Settings → Devices, where you can revoke it any time.</Hint>
      </div>

      <Button type="submit" variant="primary" className="w-full text-base" disabled={pending} aria-busy={pending || undefined}>
        {pending ? "Pairing…" : "Pair"}
      </Button>
    </form>
  );
}
