import type { GroupChat } from "../../../generated/prisma/client.ts";
import { mentionName, type AutorunCommand } from "../../../lib/groupchat/mentions";
import type { RunConfigInput } from "../../../lib/autorun/run-config";
import type { Bus } from "../../events/bus";
import type { LiveRound } from "./agent-turn";
import type { ChatWrites } from "./chat-writes";
import type { ParticipantRow } from "./views";

export interface ChatAutorunDeps {
  bus: Bus;
  writes: ChatWrites;
  autorun: {
    start(input: { agentId: string; config: RunConfigInput; name?: string }): Promise<{ id: string }>;
    stop(runId: string, by?: string): Promise<unknown>;
  };
  documents: { list(agentId: string): Promise<{ documents: { path: string }[] }> };
}

/**
 * `!autorun @Agent[:doc.md]` in a moderator reply: starts that participant's Auto Run (the named
 * document, or all its documents) and says so in the chat; the run's end is reported there too.
 * Which run belongs to which chat is kept in memory: a run still going when the bridge restarts
 * ends without a notice in the chat (its own History and push still tell it).
 */
export function createChatAutoruns(deps: ChatAutorunDeps) {
  const { bus, writes } = deps;
  const watched = new Map<string, { chatId: string; roundId: string; name: string }>();
  const off = bus.subscribe("autorun.event", (e) => {
    if (e.type !== "run-ended") return;
    const w = watched.get(e.runId);
    if (!w) return;
    watched.delete(e.runId);
    const t = e.totals;
    const text = `Auto Run of @${w.name} ended: ${e.status}${e.reason ? ` (${e.reason})` : ""} — ${t.tasksDone} task${t.tasksDone === 1 ? "" : "s"} done${t.tasksFailed ? `, ${t.tasksFailed} failed` : ""}.`;
    void writes.notice(w.chatId, w.roundId, text).catch(() => undefined);
  });

  async function start(live: LiveRound, chat: GroupChat, participants: ParticipantRow[], commands: AutorunCommand[]) {
    for (const cmd of commands) {
      const p = participants.find((x) => mentionName(x.agent.name) === cmd.name);
      if (!p) continue;
      try {
        const documents = cmd.document ? [cmd.document] : (await deps.documents.list(p.agentId)).documents.map((d) => d.path);
        if (documents.length === 0) {
          await writes.notice(chat.id, live.roundId, `@${cmd.name} has no Auto Run documents: nothing was started.`);
          continue;
        }
        const run = await deps.autorun.start({
          agentId: p.agentId,
          config: { documents: documents.map((filename) => ({ filename })) },
          name: `Group chat: ${chat.name}`.slice(0, 120),
        });
        watched.set(run.id, { chatId: chat.id, roundId: live.roundId, name: cmd.name });
        await writes.notice(chat.id, live.roundId, `Started Auto Run of @${cmd.name}: ${documents.join(", ")}.`);
      } catch (err) {
        await writes.notice(
          chat.id,
          live.roundId,
          `Could not start the Auto Run of @${cmd.name}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }

  /**
   * Stops the Auto Runs this chat started that still go (Stop, the chat's delete); `forget`: their
   * end is not reported (the chat is going). Resolves with how many were asked to stop.
   */
  async function stopFor(chatId: string, forget: boolean): Promise<number> {
    let stopped = 0;
    for (const [runId, w] of [...watched]) {
      if (w.chatId !== chatId) continue;
      if (forget) watched.delete(runId);
      try {
        await deps.autorun.stop(runId, forget ? "deleting its group chat" : "its group chat's Stop");
        stopped++;
      } catch {
        // Ended meanwhile (its end is reported, or was): nothing to stop.
      }
    }
    return stopped;
  }

  return { start, stopFor, shutdown: off };
}
