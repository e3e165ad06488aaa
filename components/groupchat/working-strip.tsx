import type { ChatView } from "@/lib/groupchat/types";
import { isRunning, workingNow, CHAT_STATUS_LABEL } from "./chat-meta";

/** Who works right now, at a glance: a strip under the header with names and pulsing dots. */
export function WorkingStrip({ view }: { view: ChatView }) {
  const { chat } = view;
  if (!isRunning(chat.status)) return null;
  const who = workingNow(chat, view.participants);
  return (
    <div
      role="status"
      aria-label="Working now"
      className="flex shrink-0 items-center gap-2 overflow-x-auto border-b border-border bg-busy/8 px-4 py-2 text-[13px] whitespace-nowrap"
    >
      <span className="font-semibold text-busy">{CHAT_STATUS_LABEL[chat.status]}</span>
      {who.map((w) => (
        <span key={w.agentId} className="inline-flex items-center gap-1.5 rounded-full bg-surface px-2.5 py-1 font-medium shadow-sm">
          <span aria-hidden="true" className="relative inline-flex size-2">
            <span
              className="absolute inset-0 rounded-full opacity-60 motion-safe:animate-ping"
              style={{ backgroundColor: w.color ?? "var(--color-busy)" }}
            />
            <span className="relative inline-flex size-2 rounded-full" style={{ backgroundColor: w.color ?? "var(--color-busy)" }} />
          </span>
          {w.name}
        </span>
      ))}
    </div>
  );
}
