"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useId, useState, type FormEvent } from "react";
import { SHARE_EXPIRY_CHOICES, type SharePermission } from "@/lib/share/choices";
import { useTRPC } from "@/lib/trpc/client";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogBody } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, Label, Select } from "../ui/field";
import { formatDateTime } from "../ui/relative-time";

export type ShareTarget =
  | { scope: "agent"; agentId: string; agentName: string }
  | { scope: "run"; runId: string; runName: string; agentName: string }
  | { scope: "groupchat"; groupChatId: string; chatName: string }
  | { scope: "dashboard" };

/** What each permission lets a teammate do, by scope (dashboard links are view only). */
const PERMISSION_TEXT = {
  agent: {
    view: "Watch live turns and history; change nothing.",
    control: "Also send prompts and stop turns of this agent.",
  },
  run: {
    view: "Watch this run's progress and its live task stream; change nothing.",
    control: "Also pause, resume and stop this run.",
  },
  groupchat: {
    view: "Watch this group chat live: every message and each agent's answer; change nothing.",
    control: "Also send messages to the chat, stop a round and retry it.",
  },
} as const;

/** `…/share#token=…`: the token rides in the fragment, which browsers never send to a server. */
export function shareUrl(token: string): string {
  return `${window.location.origin}/share#token=${token}`;
}

/**
 * The owner's "Share" sheet: what a teammate may do, for how long, and who it is for; then the
 * link (shown once) to copy or scan.
 */
export function ShareSheet({ target, open, onClose }: { target: ShareTarget; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [permission, setPermission] = useState<SharePermission>("view");
  const [canApprove, setCanApprove] = useState(false);
  const [expiresInSeconds, setExpiry] = useState<number>(SHARE_EXPIRY_CHOICES[1].seconds);
  const [label, setLabel] = useState("");
  const [made, setMade] = useState<{ url: string; qr: string | null; expiresAt: Date } | null>(null);

  const create = useMutation(
    trpc.share.create.mutationOptions({
      onSuccess: async ({ token, link }) => {
        const url = shareUrl(token);
        const qr = await QRCode.toDataURL(url, { margin: 1, width: 240 }).catch(() => null);
        setMade({ url, qr, expiresAt: new Date(link.expiresAt) });
        void queryClient.invalidateQueries(trpc.share.list.queryFilter());
      },
    }),
  );

  // A fresh sheet each time it opens: the link is shown once and never again.
  useEffect(() => {
    if (!open) return;
    setMade(null);
    setLabel("");
    setPermission("view");
    setCanApprove(false);
    create.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a reset each time the sheet opens; `create` is a new object every render
  }, [open]);

  const err = create.error ? readError(create.error) : null;
  const labelError = err?.fieldErrors?.label ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      scope: target.scope,
      agentId: target.scope === "agent" ? target.agentId : null,
      runId: target.scope === "run" ? target.runId : null,
      groupChatId: target.scope === "groupchat" ? target.groupChatId : null,
      permission: target.scope === "dashboard" ? "view" : permission,
      canApprove: approvable && canApprove,
      expiresInSeconds,
      label,
    });
  };
  // Answering tool approvals belongs to a control link of one agent (the bridge checks it too).
  const approvable = target.scope === "agent" && permission === "control";
  const what =
    target.scope === "agent"
      ? target.agentName
      : target.scope === "run"
        ? `the run “${target.runName}”`
        : target.scope === "groupchat"
          ? `the group chat “${target.chatName}”`
          : "the dashboard";

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Share ${what}`}
      description="A link for a teammate: no pairing needed, revocable any time."
      variant="sheet"
    >
      <DialogBody className="space-y-5 pb-6">
        {made ? (
          <div className="space-y-4">
            <p className="text-[15px] text-muted">
              Send this link to {label.trim() || "your teammate"}. It is shown only now; it works until{" "}
              <time dateTime={made.expiresAt.toISOString()}>{formatDateTime(made.expiresAt)}</time> or until you revoke it in Settings →
              Sharing.
            </p>
            <div className="flex items-center gap-2 rounded-xl border border-border bg-surface-2 px-3 py-2">
              <code aria-label="Share link" className="min-w-0 flex-1 font-mono text-[13px] break-all">
                {made.url}
              </code>
              <CopyButton text={made.url} label="Copy link" />
            </div>
            {made.qr && (
              // eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimise
              <img src={made.qr} alt="QR code of the share link" width={240} height={240} className="mx-auto rounded-xl bg-white p-2" />
            )}
            <Button variant="primary" className="w-full" onClick={onClose}>
              Done
            </Button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="space-y-5">
            {err && !labelError && <FormError hint={err.hint}>{err.message}</FormError>}
            {target.scope !== "dashboard" ? (
              <fieldset>
                <legend className="mb-2 text-sm font-medium">They can</legend>
                <div className="grid gap-2 sm:grid-cols-2">
                  {(
                    [
                      ["view", "View only", PERMISSION_TEXT[target.scope].view],
                      ["control", "View and control", PERMISSION_TEXT[target.scope].control],
                    ] as const
                  ).map(([value, title, text]) => (
                    <label
                      key={value}
                      className="flex min-h-11 cursor-pointer gap-3 rounded-xl border border-border bg-surface p-3 has-[:checked]:border-accent has-[:checked]:bg-accent/8"
                    >
                      <input
                        type="radio"
                        name="permission"
                        value={value}
                        checked={permission === value}
                        onChange={() => setPermission(value)}
                        className="mt-1 accent-[var(--color-accent)]"
                      />
                      <span>
                        <span className="block font-medium">{title}</span>
                        <span className="block text-sm text-muted">{text}</span>
                      </span>
                    </label>
                  ))}
                </div>
                {approvable && (
                  <div className="mt-3 rounded-xl border border-border p-3">
                    <label className="flex min-h-11 items-center gap-2 text-[15px] font-medium">
                      <input
                        type="checkbox"
                        className="size-5 accent-[var(--color-accent)]"
                        checked={canApprove}
                        onChange={(e) => setCanApprove(e.target.checked)}
                        aria-describedby={`${ids}-approve-hint`}
                      />
                      May approve tool use
                    </label>
                    <Hint id={`${ids}-approve-hint`} className="mt-0">
                      They can Allow or Deny what the agent asks to do: an allowed command runs on this machine.
                    </Hint>
                  </div>
                )}
              </fieldset>
            ) : (
              <p className="text-[15px] text-muted">Dashboard links are view only: every agent&apos;s status and live turns, no changes.</p>
            )}
            <div>
              <Label htmlFor={`${ids}-expiry`}>Expires after</Label>
              <Select id={`${ids}-expiry`} value={expiresInSeconds} onChange={(e) => setExpiry(Number(e.target.value))}>
                {SHARE_EXPIRY_CHOICES.map((c) => (
                  <option key={c.seconds} value={c.seconds}>
                    {c.label}
                  </option>
                ))}
              </Select>
            </div>
            <div>
              <Label htmlFor={`${ids}-label`}>Label</Label>
              <Input
                id={`${ids}-label`}
                value={label}
                onChange={(e) => setLabel(e.target.value)}
                maxLength={80}
                placeholder="Who is it for? e.g. Sam (reviewer)"
                autoComplete="off"
                aria-invalid={labelError ? true : undefined}
                aria-describedby={`${ids}-label-hint ${ids}-label-error`}
              />
              <FieldError id={`${ids}-label-error`}>{labelError}</FieldError>
              <Hint id={`${ids}-label-hint`}>Shown in Settings → Sharing and in History each time the link is used.</Hint>
            </div>
            <Button
              type="submit"
              variant="primary"
              className="w-full"
              disabled={create.isPending}
              aria-busy={create.isPending || undefined}
            >
              {create.isPending ? "Creating…" : "Create link"}
            </Button>
          </form>
        )}
      </DialogBody>
    </Dialog>
  );
}
