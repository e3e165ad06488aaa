"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogBody } from "../ui/dialog";
import { Field, FormError, Hint, Input, inputClass, Label } from "../ui/field";
import { readError } from "../ui/trpc-error";

interface PrSheetProps {
  agentId: string;
  branch: string;
  /** The target branch when known; "" asks the person to type it. */
  base: string;
  remoteKind: string | null;
  gh: { available: boolean; authenticated: boolean; reason: string | null };
  onClose: () => void;
}

/** A QR code of `url`, made once it is known; the qrcode library loads only then. */
function useQr(url: string | null): string | null {
  const [qr, setQr] = useState<{ url: string; data: string } | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    void import("qrcode")
      .then((m) => m.default.toDataURL(url, { margin: 1, width: 240 }))
      .then((data) => live && setQr({ url, data }))
      .catch(() => null);
    return () => {
      live = false;
    };
  }, [url]);
  return qr && qr.url === url ? qr.data : null;
}

/**
 * Create PR: push the branch, then `gh pr create` when gh is logged in, else the host's page to
 * open one (with a QR code to continue on another device). Title and description default to the
 * branch's commits.
 */
export function PrSheet({ agentId, branch, base: defaultBase, remoteKind, gh, onClose }: PrSheetProps) {
  const trpc = useTRPC();
  const ids = useId();
  const [base, setBase] = useState(defaultBase);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [missingBase, setMissingBase] = useState(false);
  const create = useMutation(trpc.finish.createPr.mutationOptions());
  const r = create.data;
  const qr = useQr(r?.via === "compare" ? r.url : null);
  const err = create.error ? readError(create.error) : null;
  const how =
    gh.authenticated && (remoteKind === "github" || remoteKind === "other")
      ? "gh is logged in: the pull request is opened for you."
      : gh.authenticated
        ? "The remote is not on GitHub: you get a link to open the pull request yourself."
        : `${gh.reason ?? "gh is not available."} You get a link to open the pull request yourself.`;

  return (
    <Dialog
      open
      onClose={onClose}
      title="Create pull request"
      description={`${branch} → ${r?.base ?? (base.trim() || "?")}`}
      variant="sheet"
    >
      <DialogBody className="space-y-4 pb-6">
        {r ? (
          <div className="space-y-4" data-testid="pr-result">
            {r.via === "gh" && (
              <p className="text-[15px]">Pull request opened{r.reason ? ` (${r.reason.toLowerCase().replace(/\.$/, "")})` : ""}.</p>
            )}
            {r.via === "compare" && (
              <p className="text-[15px] text-muted">
                Pushed {r.branch} to {r.remote}. {r.reason ? `${r.reason} ` : ""}Open this page to create the pull request:
              </p>
            )}
            {r.via === "none" && (
              <FormError>
                Pushed {r.branch} to {r.remote}, but there is no page to open a pull request on. {r.reason}
              </FormError>
            )}
            {r.url && (
              <div className="flex items-center gap-2 rounded-xl border border-border bg-surface-2 px-3 py-2">
                <a
                  href={r.url}
                  target="_blank"
                  rel="noreferrer"
                  aria-label={r.via === "gh" ? "Pull request link" : "Compare page link"}
                  className="min-w-0 flex-1 font-mono text-[13px] break-all text-accent underline"
                >
                  {r.url}
                </a>
                <CopyButton text={r.url} label="Copy link" />
              </div>
            )}
            {qr && (
              // eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimise
              <img src={qr} alt="QR code of the compare page" width={240} height={240} className="mx-auto rounded-xl bg-white p-2" />
            )}
            <Button variant="primary" className="w-full" onClick={onClose}>
              Done
            </Button>
          </div>
        ) : (
          <form
            noValidate
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (!base.trim()) return setMissingBase(true);
              create.mutate({ agentId, base: base.trim(), title: title || null, body: body || null });
            }}
          >
            {err && !err.fieldErrors.base && <FormError hint={err.hint}>{err.message}</FormError>}
            <Field
              label="Into branch"
              error={
                (missingBase ? "Type the branch the pull request goes into (git does not know the remote's default)." : null) ??
                err?.fieldErrors.base
              }
            >
              {(c) => (
                <Input
                  {...c}
                  value={base}
                  onChange={(e) => {
                    setBase(e.target.value);
                    setMissingBase(false);
                  }}
                  placeholder="main"
                  autoCapitalize="off"
                  spellCheck={false}
                />
              )}
            </Field>
            <Field label="Title" optional hint="Empty: the branch's commit (or its name, for several commits).">
              {(c) => <Input {...c} value={title} onChange={(e) => setTitle(e.target.value)} />}
            </Field>
            <div>
              <Label htmlFor={`${ids}-body`} optional>
                Description
              </Label>
              <textarea
                id={`${ids}-body`}
                className={`${inputClass} min-h-24 py-2.5`}
                value={body}
                onChange={(e) => setBody(e.target.value)}
                placeholder="Empty: the commits and Auto Run summaries"
              />
            </div>
            <Hint>{how}</Hint>
            <Button
              type="submit"
              variant="primary"
              className="w-full"
              disabled={create.isPending}
              aria-busy={create.isPending || undefined}
            >
              {create.isPending ? "Pushing and creating…" : "Push and create pull request"}
            </Button>
          </form>
        )}
      </DialogBody>
    </Dialog>
  );
}
