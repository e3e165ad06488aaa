import type { Db } from "../../db";

/**
 * The final assistant message of a turn, from its stored events: the CLI's own `result` when it
 * reports one, else the text of the last message (text events continue with `delta`).
 */
export async function replyOf(db: Db, turnId: string): Promise<{ text: string; error: string | null; resetsAt: string | null }> {
  const rows = await db.event.findMany({ where: { turnId, type: { in: ["text", "done", "error"] } }, orderBy: { id: "asc" }, select: { type: true, payload: true } });
  const messages: { id: string | undefined; text: string }[] = [];
  let result = "";
  let error: string | null = null;
  let resetsAt: string | null = null;
  for (const row of rows) {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(row.payload);
    } catch {
      continue;
    }
    if (row.type === "text") {
      const last = messages[messages.length - 1];
      const id = typeof e.messageId === "string" ? e.messageId : undefined;
      if (last && (e.delta || (id !== undefined && id === last.id))) last.text += e.delta ? String(e.text ?? "") : `\n\n${String(e.text ?? "")}`;
      else messages.push({ id, text: String(e.text ?? "") });
    } else if (row.type === "done" && typeof e.result === "string") result = e.result;
    else if (row.type === "error" && e.fatal) {
      error ??= String(e.message ?? "");
      if (typeof e.resetsAt === "string") resetsAt = e.resetsAt;
    }
  }
  const text = result.trim() || [...messages].reverse().find((m) => m.text.trim())?.text || "";
  return { text, error, resetsAt };
}
