import type { ChatView, StoredChatEvent } from "./types";

/**
 * Folds stream events into a view (pure; returns a new view). Events at or below the view's
 * `lastEventId` are skipped, so a replayed batch never applies twice.
 */
export function foldChat(view: ChatView, events: readonly StoredChatEvent[]): ChatView {
  let next = view;
  for (const e of events) {
    if (e.id <= next.lastEventId) continue;
    next = { ...apply(next, e), lastEventId: e.id };
  }
  return next;
}

function apply(view: ChatView, e: StoredChatEvent): ChatView {
  switch (e.type) {
    case "chat":
      return { ...view, chat: e.chat };
    case "participants":
      return { ...view, participants: e.participants };
    case "round": {
      const at = view.rounds.findIndex((r) => r.id === e.round.id);
      const rounds = at < 0 ? [...view.rounds, e.round] : view.rounds.map((r, i) => (i === at ? e.round : r));
      return { ...view, rounds };
    }
    case "message": {
      const at = view.messages.findIndex((m) => m.id === e.message.id);
      const messages = at < 0 ? [...view.messages, e.message] : view.messages.map((m, i) => (i === at ? e.message : m));
      const activity = e.message.status === "streaming" ? view.activity : without(view.activity, e.message.id);
      return { ...view, messages, activity };
    }
    case "delta": {
      const messages = view.messages.map((m) => (m.id === e.messageId ? { ...m, text: m.text + e.text } : m));
      return { ...view, messages, activity: without(view.activity, e.messageId) };
    }
    case "activity":
      return { ...view, activity: { ...view.activity, [e.messageId]: e.text } };
  }
}

function without(record: Record<string, string>, key: string): Record<string, string> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}
