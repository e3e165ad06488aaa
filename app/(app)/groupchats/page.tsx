"use client";

import { useState } from "react";
import { ChatRow, useChatList } from "@/components/groupchat/chat-list";
import { ListError } from "@/components/ui/list-card";
import { IconGroupChat } from "@/components/groupchat/icons";
import { NewChatSheet } from "@/components/groupchat/new-chat-sheet";
import { Button } from "@/components/ui/button";
import { IconPlus } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { useNow } from "@/components/ui/use-now";
import { usePageTitle } from "@/components/ui/use-page-title";

/** Group chats: every chat with its status, who is in it, its last message and what it cost. */
export default function GroupChatsPage() {
  usePageTitle("Group chats");
  const list = useChatList();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const chats = list.data;
  const running = chats?.filter((c) => c.working.length > 0).length ?? 0;

  return (
    <>
      <PageHeader
        title="Group chats"
        subtitle={
          chats && chats.length > 0
            ? `${chats.length} ${chats.length === 1 ? "chat" : "chats"}${running ? ` · ${running} working` : ""}`
            : undefined
        }
        actions={
          chats &&
          chats.length > 0 && (
            <Button variant="primary" className="max-lg:hidden" onClick={() => setCreating(true)}>
              <IconPlus className="size-5" />
              New group chat
            </Button>
          )
        }
      />
      <div className={pageX}>
        {list.isPending && <div aria-hidden="true" className="h-28 max-w-3xl rounded-2xl bg-surface-2" />}
        {list.error && !chats && <ListError error={list.error} onRetry={() => void list.refetch()} />}
        {chats && chats.length === 0 && (
          <div className="mx-auto flex max-w-md flex-col items-center px-2 pt-[10vh] text-center">
            <span className="inline-flex size-16 items-center justify-center rounded-2xl bg-accent/12 text-accent">
              <IconGroupChat className="size-8" />
            </span>
            <h2 className="mt-6 text-xl font-semibold tracking-tight">Ask several agents at once</h2>
            <p className="mt-2 text-[15px] leading-relaxed text-muted">
              In a group chat a moderator agent passes your question to the agents you choose, in parallel or one after another, and sums up
              their answers.
            </p>
            <Button variant="primary" className="mt-7 w-full max-w-xs" onClick={() => setCreating(true)}>
              <IconPlus className="size-5" />
              New group chat
            </Button>
          </div>
        )}
        {chats && chats.length > 0 && (
          <ul aria-label="Group chats" className="grid max-w-3xl gap-3 pb-6">
            {chats.map((c) => (
              <ChatRow key={c.id} chat={c} now={now} />
            ))}
          </ul>
        )}
      </div>
      {chats && chats.length > 0 && (
        // The phone's primary action sits under the thumb, like the dashboard's "Add an agent".
        <button
          type="button"
          aria-label="New group chat"
          onClick={() => setCreating(true)}
          className="fixed right-4 bottom-[calc(5.25rem+env(safe-area-inset-bottom))] z-20 inline-flex size-14 items-center justify-center rounded-2xl bg-accent text-accent-fg shadow-lg shadow-accent/30 hover:brightness-110 active:scale-95 lg:hidden"
        >
          <IconPlus className="size-6" />
        </button>
      )}
      <NewChatSheet open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
