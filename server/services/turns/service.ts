import type { ProviderId } from "../../../lib/providers/catalog";
import type { AgentEvent, SessionTotals } from "../../../lib/providers/events";
import type { Reply } from "../../../lib/providers/reply";
import { adapters, classifyExit, notInstalledError } from "../../../lib/providers/registry";
import { createTurnTally } from "../../../lib/providers/turn-tally";
import type { Invocation } from "../../../lib/providers/types";
import { parseAgentSettings } from "../../../lib/schemas/agent-settings";
import { firstParagraph } from "../../../lib/history/summary";
import type { Db } from "../../db";
import type { FastDb } from "../../db/fast";
import { AppError, errorText } from "../../errors";
import type { Logger } from "../../logger";
import type { Bus } from "../../events/bus";
import { SIMULATOR_BIN } from "../providers/detect";
import type { DetectedProvider } from "../providers/detect";
import type { HistoryService } from "../history/service";
import { createEventStore, toStored, type StoredEvent } from "./event-writer";
import { prepareInvocation, turnSpecFor } from "./invocation";
import { runProcess, type RunningProcess } from "./process-runner";
import { recoverInterrupted } from "./recovery";
import { createTranscript } from "./transcript";

export interface TurnsDeps {
  db: Db;
  /** The fast path (prepared statements): the event stream, the per-turn writes, the tab-opening reads. */
  fast: FastDb;
  bus: Bus;
  detectProviders: () => Promise<DetectedProvider[]>;
  isRoot?: boolean;
  /** Override the idle watchdog (tests). */
  idleTimeoutMs?: number;
  stopGraceMs?: number;
  /** How much lower provider CLIs run than the bridge (0–19). */
  niceness?: number;
  /** Where finished user turns are recorded (History). Optional so the service stands alone in tests. */
  history?: Pick<HistoryService, "record">;
  logger: Logger;
}

/**
 * Who sent a turn. Only "user" turns are recorded in History as `turn`; Auto Run records its
 * own `autorun-task` entries for the turns it starts.
 */
export type TurnOrigin = "user" | "autorun";

/** How a turn ended, as stored: what a caller that waits for the turn needs, without reading it back. */
export interface TurnOutcome {
  turnId: string;
  status: "done" | "error" | "stopped";
  errorKind: string | null;
  errorMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  reply: Reply;
}

export interface SendInput {
  tabId: string;
  prompt: string;
  images?: string[];
  origin?: TurnOrigin;
  /** Start a new provider session (the tab's stored one is dropped), as Auto Run does per task. */
  freshSession?: boolean;
  /** The client's id for this message (its queue item): a resend gets the first send's turn. */
  clientId?: string;
}

export interface StartResult {
  turnId: string;
  outcome: Promise<TurnOutcome>;
  /** This message was sent before: `turnId` is that first send's turn. */
  duplicate?: true;
}

interface ActiveTurn {
  turnId: string;
  tabId: string;
  agentId: string;
  process: RunningProcess | null;
  stopRequested: boolean;
  done: Promise<void>;
}

/** The baseline to subtract on a resumed session: only if it was recorded for that very session. */
function baselineFor(sessionId: string | null, stored: string | null): SessionTotals | null {
  if (!sessionId || !stored) return null;
  try {
    const { sessionId: recordedFor, ...totals } = JSON.parse(stored) as SessionTotals & { sessionId?: string };
    return recordedFor === sessionId ? totals : null;
  } catch {
    return null;
  }
}

/**
 * Turns: one provider process per prompt. Events are parsed, stored in batched transactions and
 * published after commit; the tab keeps the provider's session id so the next prompt resumes it.
 */
export function createTurnsService(deps: TurnsDeps) {
  const { db, bus } = deps;
  const active = new Map<string, ActiveTurn>(); // by tabId
  const { fast } = deps;
  const eventStore = createEventStore(fast.events);
  const transcript = createTranscript(db, {
    eventsAfter: (tabId, afterId, limit) => fast.events.afterInTab(tabId, afterId, limit).map(toStored),
    tailStart: (tabId, tail) => fast.events.tailStart(tabId, tail),
    overview: (tabId) => fast.turns.overview(tabId),
  });

  async function resolveBinary(provider: ProviderId, override?: string): Promise<string | null> {
    if (provider === "simulator") return SIMULATOR_BIN;
    if (override) return override;
    const found = (await deps.detectProviders()).find((p) => p.id === provider);
    return found?.installed ? found.path : null;
  }

  function setAgentStatus(agentId: string, status: string, lastActivity?: string) {
    fast.agents.setStatus(agentId, status, lastActivity);
    bus.publish("agents.changed", { agentId });
  }

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
    const started = Date.now();
    const entry: ActiveTurn = { turnId: turn.id, tabId: tab.id, agentId: agent.id, process: null, stopRequested: false, done: Promise.resolve() };
    active.set(tab.id, entry);
    setAgentStatus(agent.id, "busy");

    const publish = (events: StoredEvent[]) => bus.publish("turn.events", { agentId: agent.id, tabId: tab.id, turnId: turn.id, events });
    const writer = eventStore.writer(turn.id, publish);
    writer.push({ type: "prompt", prompt: input.prompt, images: images.length });

    const tally = createTurnTally();
    let outcome: TurnOutcome | null = null;
    const handle = (): { turnId: string; outcome: Promise<TurnOutcome> } => ({
      turnId: turn.id,
      outcome: entry.done.then(
        () => outcome ?? { turnId: turn.id, status: "error", errorKind: "crash", errorMessage: "The turn could not be recorded.", inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: Date.now() - started, reply: tally.reply() },
      ),
    });
    const parser = adapter.createParser({
      model: settings.model ?? null,
      dialect: provider === "simulator" ? (settings.simulatorDialect ?? "claude") : undefined,
      sessionBaseline: baselineFor(resumeSessionId, tab.providerTotals),
    });

    const take = (events: AgentEvent[]) => {
      for (const e of events) {
        tally.take(e);
        writer.push(e);
      }
    };

    const finish = async (extra: AgentEvent | null) => {
      if (extra) take([extra]);
      const { failed, sawDone, sessionId, reported } = tally;
      const totals = tally.totals;
      const stopped = entry.stopRequested && !sawDone;
      const status = stopped ? "stopped" : failed || !sawDone ? "error" : "done";
      const durationMs = Date.now() - started;
      const errorMessage = stopped ? "Stopped." : failed?.message;
      writer.push({ type: "turn_end", status, durationMs, ...totals, ...(errorMessage && status !== "done" ? { error: errorMessage } : {}) });
      try {
        await writer.close();
      } catch (err) {
        deps.logger.error(`turn ${turn.id}: could not store events: ${(err as Error).message}`);
      }
      const errorKind = status === "error" ? (failed?.kind ?? "crash") : null;
      const storedError = status === "done" ? null : (errorMessage ?? null);
      let tabSession: { id: string; providerSessionId: string | null; providerTotals: string | null } | undefined;
      if (sessionId) {
        // What the CLI reported for the session so far; a turn without a report leaves the last one.
        const providerTotals = reported ? JSON.stringify({ sessionId, ...reported }) : sessionId === resumeSessionId ? tab.providerTotals : null;
        tabSession = { id: tab.id, providerSessionId: sessionId, providerTotals };
      } else if (input.freshSession && tab.providerSessionId !== null) {
        // The old session is dropped even when the new turn never got one of its own.
        tabSession = { id: tab.id, providerSessionId: null, providerTotals: null };
      }
      fast.turns.end({ turnId: turn.id, status, durationMs, ...totals, errorKind, errorMessage: storedError, tab: tabSession });
      outcome = { turnId: turn.id, status, errorKind, errorMessage: storedError, ...totals, durationMs, reply: tally.reply() };
      active.delete(tab.id);
      setAgentStatus(agent.id, status === "error" ? "error" : "idle", tally.lastLine() || (errorMessage ?? ""));
      bus.publish("turn.status", { agentId: agent.id, tabId: tab.id, turnId: turn.id, status, origin: input.origin ?? "user" });
      if ((input.origin ?? "user") === "user" && deps.history) {
        // History is a record of the turn, never a reason for it to fail.
        try {
          await deps.history.record({
            kind: "turn",
            agentId: agent.id,
            agentName: agent.name,
            tabId: tab.id,
            turnId: turn.id,
            success: status === "done",
            summary: firstParagraph(tally.replyHead) || (status === "done" ? "" : (errorMessage ?? `Turn ${status}.`)),
            detail: status === "done" || !errorMessage ? input.prompt : `${input.prompt}\n\nError: ${errorMessage}`,
            durationMs,
            ...totals,
          });
        } catch (err) {
          deps.logger.error(`turn ${turn.id}: could not record History: ${(err as Error).message}`);
        }
      }
    };

    const binary = await resolveBinary(provider, settings.binaryPath);
    if (!binary) {
      entry.done = finish(notInstalledError(provider));
      return handle();
    }

    const spec = turnSpecFor({ provider, settings, folder: agent.folder, binary, prompt: input.prompt, images, resumeSessionId, isRoot: deps.isRoot ?? process.getuid?.() === 0 });
    let invocation: Invocation;
    try {
      invocation = await prepareInvocation(adapter, spec);
    } catch (err) {
      entry.done = finish({ type: "error", kind: "provider", fatal: true, message: (err as Error).message });
      return handle();
    }

    entry.done = new Promise<void>((resolve) => {
      entry.process = runProcess(
        invocation,
        {
          onLine: (line, truncated) => {
            take(truncated ? [{ type: "error", kind: "malformed", fatal: false, message: `${provider} printed a line over 1 MiB; it was cut and skipped.` }] : []);
            if (!truncated) take(parser.parse(line));
          },
          onExit: ({ exitCode, signal, stderrTail, spawnError, timedOut }) => {
            take(parser.end?.() ?? []);
            const { sawDone } = tally;
            let extra: AgentEvent | null = null;
            if (spawnError?.code === "ENOENT") extra = notInstalledError(provider);
            else if (spawnError) extra = { type: "error", kind: "crash", fatal: true, message: `Could not start ${provider}: ${spawnError.message}` };
            else if (timedOut) extra = { type: "error", kind: "timeout", fatal: true, message: `${provider} printed nothing for ${Math.round((deps.idleTimeoutMs ?? (settings.idleTimeoutSec ?? 600) * 1000) / 1000)} s and was stopped (a dead model endpoint makes CLIs retry for minutes).` };
            else if (!entry.stopRequested) extra = classifyExit({ exitCode, signal, stderrTail, sawDone, dialect: adapter.dialect, provider });
            finish(extra).then(resolve, (err) => {
              deps.logger.error(`turn ${turn.id}: ${errorText(err)}`);
              resolve();
            });
          },
        },
        { idleTimeoutMs: deps.idleTimeoutMs ?? (settings.idleTimeoutSec ?? 600) * 1000, stopGraceMs: deps.stopGraceMs, niceness: deps.niceness },
      );
    });
    return handle();
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

    /** Turns left "running" by a bridge that died: mark them interrupted, free their agents. */
    recoverInterrupted: () => recoverInterrupted(db),

    /** Bridge shutdown: kill every running CLI and wait for the turns to be recorded. */
    async shutdown(): Promise<void> {
      for (const entry of active.values()) {
        entry.stopRequested = true;
        entry.process?.kill();
      }
      await Promise.all([...active.values()].map((e) => e.done));
    },
  };
}

export type TurnsService = ReturnType<typeof createTurnsService>;
