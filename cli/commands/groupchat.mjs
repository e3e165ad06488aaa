// @ts-check
import { randomUUID } from "node:crypto";
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { resolveByRef } from "./agents.mjs";
import { oneLine, withClient } from "./data.mjs";

/**
 * @typedef {{ id: string, name: string, status: string, statusDetail: string, moderatorName: string,
 *   participants: { agentId: string, name: string }[], working: string[], updatedAt: string,
 *   totals: { costUsd: number } }} ChatRow
 * @typedef {{ id: string, roundId: string | null, author: string, agentName: string, kind: string,
 *   status: string, text: string, error: string | null, createdAt: string }} Message
 * @typedef {{ chat: ChatRow & { moderatorProvider: string }, participants: { name: string, agentName: string, provider: string, role: string }[],
 *   messages: Message[], lastEventId: number }} ChatView
 */

/** The chat a command names (id, name, or a unique id prefix); not found is exit 4. @param {import("../client.mjs").Client} client @param {string} ref @returns {Promise<ChatRow>} */
export async function findChat(client, ref) {
  /** @type {ChatRow[]} */
  const chats = await client.query("groupchat.list");
  try {
    return resolveByRef(chats, ref, "group chat");
  } catch (err) {
    if (err instanceof CliError && err.exitCode === EXIT.NOT_FOUND) throw new CliError(err.message, EXIT.NOT_FOUND, "CHAT_NOT_FOUND");
    throw err;
  }
}

/**
 * `maestro groupchat list`
 * @param {import("../program/define.mjs").Ctx} ctx
 */
export async function groupchatList(ctx) {
  await withClient(ctx, true, async (client) => {
    /** @type {ChatRow[]} */
    const chats = await client.query("groupchat.list");
    if (ctx.out.json) return ctx.out.data(chats);
    if (chats.length === 0) return ctx.out.line("No group chats.");
    ctx.out.result(
      table(
        ["ID", "NAME", "STATUS", "MODERATOR", "PARTICIPANTS", "COST", "UPDATED"],
        chats.map((c) => [
          c.id,
          c.name,
          c.status,
          c.moderatorName,
          c.participants.map((p) => p.name).join(", ") || "-",
          c.totals.costUsd ? `$${c.totals.costUsd.toFixed(4)}` : "-",
          c.updatedAt,
        ]),
      ),
    );
  });
}

/** One message as a transcript line block. @param {Message} m */
function messageBlock(m) {
  const who = m.author === "user" ? "You" : m.author === "system" ? "Maestro" : m.agentName;
  const tag = m.status === "done" ? m.kind : `${m.kind}, ${m.status}`;
  const text = m.text.trim() || m.error || "(no text)";
  return `${who} (${tag}) · ${m.createdAt}\n${text.replace(/^/gm, "  ")}`;
}

/**
 * `maestro groupchat show CHAT [--tail N]`
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string} ref
 * @param {{ tail?: string }} o
 */
export async function groupchatShow(ctx, ref, o) {
  const tail = o.tail === undefined ? null : Number(o.tail);
  if (tail !== null && (!Number.isInteger(tail) || tail < 1)) throw new CliError("--tail takes a whole number ≥ 1.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const chat = await findChat(client, ref);
    /** @type {ChatView} */
    const view = await client.query("groupchat.get", { chatId: chat.id });
    const messages = tail === null ? view.messages : view.messages.slice(-tail);
    if (ctx.out.json) return ctx.out.data({ ...view, messages });
    const c = view.chat;
    ctx.out.line(`${c.name} · ${c.status}${c.statusDetail ? ` (${oneLine(c.statusDetail, 60)})` : ""}`);
    ctx.out.line(
      `moderator ${c.moderatorName} (${c.moderatorProvider}); ${view.participants.map((p) => `@${p.name}`).join(" ") || "no participants"}`,
    );
    ctx.out.result(messages.length ? messages.map(messageBlock).join("\n\n") : "No messages yet.");
  });
}

/**
 * `maestro groupchat send CHAT MESSAGE [--wait]`: appends the message (a round starts). With
 * --wait, follows the chat's stream until that round ends and prints the moderator's answer.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string} ref
 * @param {string} message
 * @param {{ wait?: boolean }} o
 */
export async function groupchatSend(ctx, ref, message, o) {
  if (!message.trim()) throw new CliError("the message is empty.", EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    if (!o.wait && client.mode === "headless") {
      throw new CliError(
        "without --wait this needs the running bridge (headless, the round would end with this command). Start it with `maestro start`, or add --wait.",
        EXIT.FAILED,
        "NEEDS_BRIDGE",
      );
    }
    const chat = await findChat(client, ref);
    /** @type {ChatView} */
    const before = await client.query("groupchat.get", { chatId: chat.id });
    /** @type {{ messageId: string, roundId: string }} */
    const sent = await client.mutate("groupchat.send", { chatId: chat.id, text: message, clientId: `cli-${randomUUID()}` });
    if (!o.wait) {
      if (ctx.out.json) return ctx.out.data({ chatId: chat.id, ...sent, status: "running", answer: null });
      return ctx.out.line(`Sent to ${chat.name} (round ${sent.roundId}).`);
    }
    const ended = await followRound(client, chat.id, sent.roundId, before.lastEventId);
    /** @type {ChatView} */
    const after = await client.query("groupchat.get", { chatId: chat.id });
    const answer = [...after.messages].reverse().find((m) => m.roundId === sent.roundId && m.author === "moderator" && m.status === "done");
    const ok = ended.status === "done";
    if (!ok) process.exitCode = EXIT.FAILED;
    if (ctx.out.json)
      return ctx.out.data({ chatId: chat.id, ...sent, status: ended.status, error: ended.error, answer: answer?.text ?? null });
    if (!ok) {
      process.stderr.write(`maestro: the round ended ${ended.status}${ended.error ? `: ${ended.error.replace(/\s*\n\s*/g, " ")}` : ""}\n`);
      return;
    }
    process.stdout.write(`${(answer?.text ?? "").trim()}\n`);
    // A done round may still carry a notice (the moderator's reply was shown as it was).
    if (ended.error && !ctx.opts.quiet) process.stderr.write(`maestro: ${ended.error.replace(/\s*\n\s*/g, " ")}\n`);
  });
}

/**
 * The chat's stream from `after` on, until the round's status is no longer "running".
 * @param {import("../client.mjs").Client} client
 * @param {string} chatId
 * @param {string} roundId
 * @param {number} after
 * @returns {Promise<{ status: string, error: string | null }>}
 */
async function followRound(client, chatId, roundId, after) {
  for await (const batch of client.subscribe("groupchat.onEvent", { chatId, lastEventId: String(after) })) {
    for (const e of /** @type {{ type: string, round?: { id: string, status: string, error: string | null } }[]} */ (batch ?? [])) {
      if (e.type === "round" && e.round?.id === roundId && e.round.status !== "running")
        return { status: e.round.status, error: e.round.error };
    }
  }
  throw new CliError("the chat's stream ended before the round did.", EXIT.UNREACHABLE, "UNREACHABLE");
}
