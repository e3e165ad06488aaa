"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { ChatView } from "@/lib/groupchat/types";
import { formatCost, formatTokens } from "@/lib/transcript/format";
import { useTRPC } from "@/lib/trpc/client";
import { newId, useDraft } from "../conversation/use-draft";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog, DialogBody } from "../ui/dialog";
import { FormError } from "../ui/field";
import { IconArrowLeft, IconSettings, IconShare } from "../ui/icons";
import { LazyShareSheet } from "../share/lazy-share-sheet";
import { readError } from "../ui/trpc-error";
import { usePageTitle } from "../ui/use-page-title";
import { ChatComposer } from "./chat-composer";
import { loadMarkdown } from "./chat-messages";
import { CHAT_STATUS_PILL, CHAT_STATUS_LABEL, isRunning } from "./chat-meta";
import { ChatSettingsSheet } from "./chat-settings-sheet";
import { ChatTimeline } from "./chat-timeline";
import { IconUsers } from "./icons";
import { ParticipantDots } from "./participant-dots";
import { ParticipantsPanel } from "./participants-panel";
import { RoundControls } from "./round-controls";
import { useChat } from "./use-chat";
import { WorkingStrip } from "./working-strip";

export type ChatAccess = "owner" | "view" | "control";

function Totals({ view }: { view: ChatView }) {
  const t = view.chat.totals;
  return (
    <span className="tabular-nums" title={`${formatTokens(t.inputTokens + t.outputTokens)} tokens`}>
      <span className="max-sm:hidden">{formatTokens(t.inputTokens + t.outputTokens)} tokens · </span>
      {formatCost(t.costUsd)}
    </span>
  );
}

/**
 * One group chat: the header (name, status, totals), who works now, the messages and the
 * composer. The owner also manages participants and settings; a share link (view or control)
 * sees the same chat without them.
 */
export function ChatScreen({ chatId, access }: { chatId: string; access: ChatAccess }) {
  const { view, error, stream } = useChat(chatId);
  usePageTitle(view?.chat.name ?? "Group chat");
  useEffect(() => {
    void loadMarkdown();
  }, []);

  if (error && !view) {
    const e = readError(error);
    return (
      <div className="mx-auto max-w-lg px-4 pt-16 text-center">
        <h1 className="text-xl font-semibold">{e.code === "NOT_FOUND" ? "This chat no longer exists" : "Couldn't load this chat"}</h1>
        <p className="mt-2 text-[15px] text-muted">
          {e.code === "NOT_FOUND" ? "It may have been deleted from another device." : e.message}
        </p>
        {access === "owner" && (
          <Link href="/groupchats" className="mt-6 inline-flex min-h-11 items-center gap-2 font-medium text-accent">
            <IconArrowLeft className="size-4" />
            Back to group chats
          </Link>
        )}
      </div>
    );
  }
  if (!view) return <div aria-hidden="true" className="flex-1" />;
  return <ChatLoaded view={view} access={access} reconnecting={stream === "reconnecting"} />;
}

function ChatLoaded({ view, access, reconnecting }: { view: ChatView; access: ChatAccess; reconnecting: boolean }) {
  const trpc = useTRPC();
  const { chat } = view;
  const owner = access === "owner";
  const canControl = access !== "view";
  const running = isRunning(chat.status);
  const [draft, setDraft] = useDraft(`groupchat-${chat.id}`);
  const [panel, setPanel] = useState<"participants" | "settings" | "share" | null>(null);
  const [stopping, setStopping] = useState(false);
  // Other agents (to @mention into the chat) are the owner's: a share link reaches only this chat.
  const agents = useQuery(trpc.agents.list.queryOptions(undefined, { enabled: owner }));
  const others = useMemo(
    () => (owner ? (agents.data ?? []).filter((a) => a.id !== chat.moderatorAgentId).map((a) => ({ agentId: a.id, name: a.name })) : []),
    [owner, agents.data, chat.moderatorAgentId],
  );
  const send = useMutation(trpc.groupchat.send.mutationOptions({ onSuccess: () => setDraft("") }));
  const stop = useMutation(trpc.groupchat.stop.mutationOptions({ onError: () => setStopping(false) }));
  const retry = useMutation(trpc.groupchat.retry.mutationOptions());
  const actionError = send.error ?? stop.error ?? retry.error;
  useEffect(() => {
    if (!running) setStopping(false);
  }, [running]);

  return (
    <div className="flex min-h-0 flex-1">
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="shrink-0 border-b border-border bg-surface px-2 py-2 sm:px-4 lg:py-3">
          <div className="flex items-center gap-1.5">
            {owner && (
              <Link
                href="/groupchats"
                aria-label="Back to group chats"
                className="inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted hover:bg-surface-2 lg:hidden"
              >
                <IconArrowLeft className="size-5" />
              </Link>
            )}
            <div className="min-w-0 flex-1 pl-1">
              <h1 className="truncate text-[17px] leading-6 font-semibold tracking-tight lg:text-lg">{chat.name}</h1>
              <div className="flex min-w-0 items-center gap-2 text-[13px] text-muted">
                <span
                  role="status"
                  aria-label="Chat status"
                  className={cn(
                    "shrink-0 rounded-full px-2 py-0 text-xs leading-5 font-semibold",
                    CHAT_STATUS_PILL[chat.status],
                    // While a round runs the strip below says it, with names: the phone's header keeps its room for the totals.
                    running && "max-sm:sr-only",
                  )}
                >
                  {CHAT_STATUS_LABEL[chat.status]}
                </span>
                <ParticipantDots
                  participants={view.participants.map((p) => ({ ...p, name: p.agentName }))}
                  working={chat.working}
                  className="max-sm:hidden"
                />
                <span className="truncate">
                  <Totals view={view} />
                </span>
              </div>
            </div>
            {owner && (
              <Button size="sm" variant="ghost" aria-label="Share" title="Share this chat" onClick={() => setPanel("share")}>
                <IconShare className="size-5" />
                <span className="max-lg:sr-only">Share</span>
              </Button>
            )}
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Participants (${view.participants.length})`}
              title="Participants"
              onClick={() => setPanel("participants")}
              className={cn(owner && "lg:hidden")}
            >
              <IconUsers className="size-5" />
            </Button>
            {owner && (
              <Button size="icon-sm" variant="ghost" aria-label="Chat settings" title="Chat settings" onClick={() => setPanel("settings")}>
                <IconSettings className="size-5" />
              </Button>
            )}
          </div>
        </header>
        <WorkingStrip view={view} />
        <ChatTimeline
          view={view}
          showAgentLinks={owner}
          empty={
            <p className="py-12 text-center text-[15px] text-muted">
              {canControl
                ? `Ask anything: ${chat.moderatorName} passes it to the participants and sums up their answers.`
                : "Nothing here yet. Messages appear as they stream in."}
            </p>
          }
        />
        {reconnecting && <p className="shrink-0 px-4 py-1 text-center text-sm text-muted">Reconnecting to the live chat…</p>}
        {canControl ? (
          <ChatComposer
            value={draft}
            onChange={setDraft}
            onSubmit={() => send.mutate({ chatId: chat.id, text: draft, clientId: newId() })}
            disabled={running || send.isPending}
            disabledHint="A round is running: send when it ends, or Stop it."
            participants={view.participants}
            others={others}
            placeholder={`Message the group (${chat.moderatorName} moderates)…`}
            above={
              <>
                <RoundControls
                  view={view}
                  canControl={canControl}
                  stopping={stopping}
                  onStop={() => {
                    setStopping(true);
                    stop.mutate({ chatId: chat.id });
                  }}
                  retrying={retry.isPending}
                  onRetry={() => retry.mutate({ chatId: chat.id })}
                />
                {actionError && (
                  <FormError className="mb-2" hint={readError(actionError).hint}>
                    {readError(actionError).message}
                  </FormError>
                )}
              </>
            }
          />
        ) : (
          <div className="shrink-0 border-t border-border bg-surface px-4 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))]">
            <div className="mx-auto max-w-3xl">
              <RoundControls view={view} canControl={false} stopping={false} onStop={() => {}} onRetry={() => {}} retrying={false} />
              <p className="text-center text-sm text-muted">View only: you can watch this chat but not send to it.</p>
            </div>
          </div>
        )}
      </div>
      {owner && (
        <aside
          aria-label="Participants panel"
          className="hidden w-80 shrink-0 overflow-y-auto border-l border-border bg-surface p-4 lg:block"
        >
          <h2 className="mb-3 text-sm font-semibold tracking-wider text-muted uppercase">Participants</h2>
          <ParticipantsPanel view={view} />
        </aside>
      )}
      <Dialog open={panel === "participants"} onClose={() => setPanel(null)} title="Participants">
        <DialogBody>
          {owner ? (
            <ParticipantsPanel view={view} />
          ) : (
            <ul className="space-y-2">
              {view.participants.map((p) => (
                <li key={p.id} className="text-[15px]">
                  <span className="font-semibold">{p.agentName}</span>
                  {p.role && <span className="text-muted"> · {p.role}</span>}
                </li>
              ))}
            </ul>
          )}
        </DialogBody>
      </Dialog>
      {panel === "settings" && <ChatSettingsSheet chat={chat} onClose={() => setPanel(null)} />}
      {panel === "share" && (
        <LazyShareSheet target={{ scope: "groupchat", groupChatId: chat.id, chatName: chat.name }} open onClose={() => setPanel(null)} />
      )}
    </div>
  );
}
