"use client";

import { useParams } from "next/navigation";
import { ChatScreen } from "@/components/groupchat/chat-screen";

/** One group chat (the page fills the viewport; the messages scroll between header and composer). */
export default function GroupChatPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params?.id ?? "");
  return id ? <ChatScreen key={id} chatId={id} access="owner" /> : null;
}
