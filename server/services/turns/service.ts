import type { ProviderId } from "../../../lib/providers/catalog";
import { adapters } from "../../../lib/providers/registry";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import { AppError } from "../../errors";
import { createEventStore, toStored } from "./event-writer";
import { recoverInterrupted } from "./recovery";
import { runTurn, type TurnHost } from "./run-turn";
import { createTurnSnapshots } from "./git-snapshot";
import { createTurnResult } from "./result";
import { createTranscript } from "./transcript";
import type { ActiveTurn, SendInput, StartResult, TurnOutcome, TurnsDeps } from "./types";

export type { SendInput, StartResult, TurnOrigin, TurnOutcome, TurnsDeps } from "./types";

/**
 * Turns: one provider process per prompt. Events are parsed, stored in batched transactions and
 * published after commit; the tab keeps the provider's session id so the next prompt resumes it.
 */
export function createTurnsService(deps: TurnsDeps) {
  const { db, fast } = deps;
  const active = new Map<string, ActiveTurn>(); // by tabId
  let closing = false;
  const eventStore = createEventStore(fast.events);
  const transcript = createTranscript(db, {
    eventsAfter: (tabId, afterId, limit) => fast.events.afterInTab(tabId, afterId, limit).map(toStored),
    tailStart: (tabId, tail) => fast.events.tailStart(tabId, tail),
    overview: (tabId) => fast.turns.overview(tabId),
  });
  const host: TurnHost = { deps, eventStore, active, snapshots: createTurnSnapshots(deps.logger) };

  /** The turn an earlier send with this client id started, if any. */
  async function sentBefore(tabId: string, clientId: string | undefined): Promise<string | null> {
    if (!clientId) return null;
    return (await db.turn.findUnique({ where: { tabId_clientId: { tabId, clientId } }, select: { id: true } }))?.id ?? null;
  }

  /** What a resend of an already started message gets: that turn, and its outcome once stored. */
  function duplicateOf(tabId: string, turnId: string): StartResult {
    const outcome = (async (): Promise<TurnOutcome> => {
      const running = active.get(tabId);
      if (running?.turnId === turnId) await running.done;
      const t = await db.turn.findUniqueOrThrow({ where: { id: turnId } });
      const status = t.status === "done" || t.status === "stopped" ? t.status : "error";
      return {
        turnId,
        status,
        errorKind: t.errorKind,
        errorMessage: t.errorMessage,
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        costUsd: t.costUsd,
        durationMs: t.durationMs ?? 0,
        reply: { text: "", error: t.errorMessage, resetsAt: null },
      };
    })();
    return { turnId, outcome, duplicate: true };
  }

  /**
   * Starts a turn; `outcome` settles once the turn is stored (never rejects for a provider
   * failure). `clientId` (a queued message's id) makes resending safe: a prompt whose first
   * send reached the bridge but whose answer was lost is recognised, not run twice.
   */
  async function start(input: SendInput): Promise<StartResult> {
    // Once shutdown began, a new turn would outlive the database connection it writes to.
    if (closing) throw new AppError("CONFLICT", "Maestro is shutting down: send it again once the bridge is back.");
    const tab = fast.tabs.forTurn(input.tabId);
    if (!tab) throw new AppError("NOT_FOUND", "That tab no longer exists.");
    const earlier = await sentBefore(tab.id, input.clientId);
    if (earlier) return duplicateOf(tab.id, earlier);
    if (active.has(tab.id)) throw new AppError("CONFLICT", "This tab is busy: wait for the turn to finish, stop it, or queue the message.");
    const agent = tab.agent;
    const provider = agent.provider as ProviderId;
    const adapter = adapters[provider];
    if (!adapter) throw new AppError("BAD_INPUT", `Unknown provider ${agent.provider}.`);
    const settings = parseAgentSettings(agent.settingsJson);
    const images = input.images ?? [];
    if (images.length > 0 && !adapter.supportsImages) {
      throw new AppError("BAD_INPUT", `${agent.provider} cannot take images in batch mode.`, { field: "images" });
    }

    const resumeSessionId = input.freshSession ? null : tab.providerSessionId;
    let turn: { id: string };
    try {
      turn = { id: fast.turns.create({ tabId: tab.id, agentId: agent.id, prompt: input.prompt, clientId: input.clientId ?? null }) };
    } catch (err) {
      // Two sends of the same message raced past the check above: the unique index decides.
      const raced = (err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" ? await sentBefore(tab.id, input.clientId) : null;
      if (raced) return duplicateOf(tab.id, raced);
      throw err;
    }
    return runTurn(host, { turn, input, tab, provider, adapter, settings, images, resumeSessionId });
  }

  return {
    /** Starts a turn; resolves with its id once the CLI is started. */
    async send(input: SendInput): Promise<{ turnId: string; duplicate?: true }> {
      const { turnId, duplicate } = await start(input);
      return duplicate ? { turnId, duplicate } : { turnId };
    },

    start,

    /** Asks the running turn of a tab to stop (SIGINT, escalating). */
    stop(tabId: string): Promise<boolean> {
      const entry = active.get(tabId);
      if (!entry) return Promise.resolve(false);
      entry.stopRequested = true;
      entry.process?.stop();
      return Promise.resolve(true);
    },

    /** Waits for a tab's running turn (tests, shutdown). */
    async settled(tabId: string): Promise<void> {
      await active.get(tabId)?.done;
    },

    isBusy(tabId: string): boolean {
      return active.has(tabId);
    },

    ...transcript,

    /** A finished turn as `maestro send` prints it (waits for a turn still being stored). */
    result: createTurnResult(db, active),

    /** Turns left "running" by a bridge that died: mark them interrupted, free their agents. */
    recoverInterrupted: () => recoverInterrupted(db),

    /** Bridge shutdown: kill every running CLI and wait for the turns to be recorded. */
    async shutdown(): Promise<void> {
      closing = true;
      for (const entry of active.values()) {
        entry.stopRequested = true;
        entry.process?.kill();
      }
      await Promise.all([...active.values()].map((e) => e.done));
    },
  };
}

export type TurnsService = ReturnType<typeof createTurnsService>;
