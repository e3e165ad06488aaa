"use client";

import { useParams } from "next/navigation";
import { ChatScreen } from "@/components/groupchat/chat-screen";
import { useSharedAccess } from "@/components/share/shared-shell";

/** A group chat as a teammate with a link sees it: view links watch; control links also send, stop and retry. */
export default function SharedGroupChatPage() {
  const params = useParams<{ chatId: string }>();
  const id = decodeURIComponent(params?.chatId ?? "");
  const access = useSharedAccess();
  if (!id || !access) return null;
  return <ChatScreen key={id} chatId={id} access={access.kind === "share" ? access.permission : "control"} />;
}
