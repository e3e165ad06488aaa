/**
 * A turn's final answer, built from its events as they pass: the CLI's own `result` when it
 * reports one, else the text of the last message (text events continue with `delta`, or with
 * the same `messageId`), plus the first fatal error and a rate limit's reset time. The turns
 * service feeds it live; stored events are fed to it after a restart — one rule for both.
 */
export interface Reply {
  text: string;
  error: string | null;
  resetsAt: string | null;
}

/** The fields of a text / done / error event the reply needs (stored payloads are loose). */
export type ReplyEvent = { type: string; [key: string]: unknown };

/** A loose payload field as text: strings and numbers as they are, anything else as nothing. */
const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

export function createReplyTracker() {
  let result = "";
  let error: string | null = null;
  let resetsAt: string | null = null;
  // Only the last message and the last non-blank one can become the reply.
  let last: { id: string | undefined; text: string } | null = null;
  let lastNonBlank = "";
  return {
    take(e: ReplyEvent) {
      if (e.type === "text") {
        const id = typeof e.messageId === "string" ? e.messageId : undefined;
        const text = asText(e.text);
        if (last && (e.delta || (id !== undefined && id === last.id))) last.text += e.delta ? text : `\n\n${text}`;
        else {
          if (last?.text.trim()) lastNonBlank = last.text;
          last = { id, text };
        }
      } else if (e.type === "done" && typeof e.result === "string") result = e.result;
      else if (e.type === "error" && e.fatal) {
        error ??= asText(e.message);
        if (typeof e.resetsAt === "string") resetsAt = e.resetsAt;
      }
    },
    reply(): Reply {
      const text = result.trim() || (last?.text.trim() ? last.text : lastNonBlank);
      return { text, error, resetsAt };
    },
  };
}

/** The reply of a whole list of events. */
export function replyFrom(events: Iterable<ReplyEvent>): Reply {
  const t = createReplyTracker();
  for (const e of events) t.take(e);
  return t.reply();
}
