"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { expiresInText } from "@/lib/share/scope";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { IconShare } from "../ui/icons";
import { ShareSheet } from "../share/share-sheet";
import { SettingsList } from "./settings-list";
import { SettingsSection } from "./settings-section";
import { useToast } from "../ui/toaster";
import type { RouterOutputs } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormError } from "../ui/field";
import { formatDateTime, relativeTime } from "../ui/relative-time";
import { useConfirmTarget } from "../ui/use-confirm-target";
import { useNow } from "../ui/use-now";

type ShareLink = RouterOutputs["share"]["list"][number];

function status(link: ShareLink, now: number): { text: string; active: boolean } {
  if (link.revokedAt) return { text: "Revoked", active: false };
  const left = expiresInText(new Date(link.expiresAt), new Date(now));
  return left === "expired" ? { text: "Expired", active: false } : { text: left.replace(/^e/, "E"), active: true };
}

function scopeText(link: ShareLink): string {
  if (link.scope === "dashboard") return "Dashboard";
  if (link.scope === "groupchat") return `Group chat ${link.groupChatName ?? "(deleted)"}`;
  const name = link.agentName ?? "a deleted agent";
  return link.scope === "run" ? `Run of ${name}` : name;
}

/** Share links: who has one, what it reaches, when it was last used; revoke any at once. */
export function SettingsSharing() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const links = useQuery(trpc.share.list.queryOptions());
  const confirm = useConfirmTarget<ShareLink>();
  const [sharing, setSharing] = useState(false);

  const revoke = useMutation(
    trpc.share.revoke.mutationOptions({
      onSuccess: () => {
        toast(`Revoked “${confirm.target?.label ?? "the link"}”`);
        confirm.close();
        void queryClient.invalidateQueries(trpc.share.pathFilter());
      },
      onError: confirm.fail,
    }),
  );

  const list = links.data ?? [];
  return (
    <SettingsSection
      id="sharing"
      title="Sharing"
      description="Links that let a teammate watch (or prompt) one agent, or watch the dashboard, without pairing. Each use is written to History."
    >
      {links.error && <FormError>{readError(links.error).message}</FormError>}
      <div className="mb-3">
        <Button size="sm" onClick={() => setSharing(true)}>
          <IconShare className="size-4" />
          Share the dashboard
        </Button>
      </div>
      {links.isSuccess && list.length === 0 && (
        <p className="rounded-2xl border border-dashed border-border px-4 py-5 text-[15px] text-muted">
          No share links yet. Use <strong className="text-text">Share</strong> on an agent or on the dashboard to make one.
        </p>
      )}
      {list.length > 0 && (
        <SettingsList label="Share links">
          {list.map((l) => {
            const s = status(l, now);
            return (
              <li key={l.id} className="flex items-center gap-3.5 px-4 py-3.5" aria-label={l.label}>
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="truncate font-medium">{l.label}</span>
                    <span className="rounded-full bg-surface-2 px-2 py-px text-xs font-semibold text-muted">
                      {l.permission === "view" ? "View only" : "View and control"}
                    </span>
                    {l.canApprove && (
                      <span className="rounded-full bg-wait/15 px-2 py-px text-xs font-semibold text-wait">May approve tool use</span>
                    )}
                  </p>
                  <p className="mt-0.5 text-[13px] text-muted">
                    {scopeText(l)} · <span className={s.active ? undefined : "font-medium text-bad"}>{s.text}</span>
                  </p>
                  <p className="mt-0.5 text-[13px] text-muted">
                    {l.lastUsedAt ? (
                      <>
                        Last used{" "}
                        <time dateTime={new Date(l.lastUsedAt).toISOString()} title={formatDateTime(l.lastUsedAt)}>
                          {relativeTime(l.lastUsedAt, now)}
                        </time>
                        {` · opened ${l.useCount} ${l.useCount === 1 ? "time" : "times"}`}
                      </>
                    ) : (
                      "Not used yet"
                    )}
                  </p>
                </div>
                {s.active && (
                  <Button size="sm" variant="danger-ghost" aria-label={`Revoke ${l.label}`} onClick={() => confirm.ask(l)}>
                    Revoke
                  </Button>
                )}
              </li>
            );
          })}
        </SettingsList>
      )}
      <ConfirmDialog
        open={!!confirm.target}
        onClose={confirm.close}
        title={`Revoke “${confirm.target?.label ?? ""}”?`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={confirm.error}
        onConfirm={() => confirm.target && revoke.mutate({ id: confirm.target.id })}
      >
        The link stops working at once: anyone using it is cut off, including live views.
      </ConfirmDialog>
      <ShareSheet target={{ scope: "dashboard" }} open={sharing} onClose={() => setSharing(false)} />
    </SettingsSection>
  );
}
