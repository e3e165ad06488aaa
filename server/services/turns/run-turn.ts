import type { ProviderId } from "../../../lib/providers/catalog";
import type { AgentEvent, SessionTotals } from "../../../lib/providers/events";
import { classifyExit, notInstalledError } from "../../../lib/providers/registry";
import { createTurnTally } from "../../../lib/providers/turn-tally";
import type { Invocation, ProviderAdapter } from "../../../lib/providers/types";
import type { AgentSettings } from "../../../lib/schemas/agent-settings";
import { firstParagraph } from "../../../lib/history/summary";
import type { TabForTurn } from "../../db/fast";
import { errorText } from "../../errors";
import { SIMULATOR_BIN } from "../providers/detect";
import type { EventStore, StoredEvent } from "./event-writer";
import { maestroEnv, prepareInvocation, turnSpecFor } from "./invocation";
import { runProcess } from "./process-runner";
import { createTurnApprovals } from "./approval-turn";
import type { TurnSnapshots } from "./git-snapshot";
import type { ActiveTurn, SendInput, StartResult, TurnOutcome, TurnsDeps } from "./types";

/** What every turn shares with the service: its deps, the batched event writer, the running turns by tab. */
export interface TurnHost {
  deps: TurnsDeps;
  eventStore: EventStore;
  active: Map<string, ActiveTurn>;
  /** The working-tree snapshots that record what each turn changed. */
  snapshots: TurnSnapshots;
}

/** A turn whose row is stored: what it was asked, in which tab, through which provider and settings. */
export interface NewTurn {
  turn: { id: string };
  input: SendInput;
  tab: TabForTurn;
  provider: ProviderId;
  adapter: ProviderAdapter;
  settings: AgentSettings;
  images: string[];
  resumeSessionId: string | null;
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

/** The provider CLI to run: the simulator, the agent's own path, or the detected install (null: not installed). */
async function resolveBinary(deps: TurnsDeps, provider: ProviderId, override?: string): Promise<string | null> {
  if (provider === "simulator") return SIMULATOR_BIN;
  if (override) return override;
  const found = (await deps.detectProviders()).find((p) => p.id === provider);
  return found?.installed ? found.path : null;
}

/**
 * The agent's status (and last line) as the list shows it. Tabs run at once: while a request of
 * any of its turns waits the agent stays "waiting", and while another turn runs it stays "busy".
 */
function setAgentStatus(host: TurnHost, agentId: string, status: "busy" | "idle" | "error", lastActivity?: string) {
  const { deps, active } = host;
  const shown = deps.approvals?.isWaiting(agentId)
    ? "waiting"
    : status !== "busy" && [...active.values()].some((t) => t.agentId === agentId)
      ? "busy"
      : status;
  deps.fast.agents.setStatus(agentId, shown, lastActivity);
  deps.bus.publish("agents.changed", { agentId });
}

/**
 * One turn from its stored row to its end: marks the tab busy, streams the provider's events
 * into the shared writer, runs the CLI, and on exit stores the outcome, frees the agent and
 * records History. `outcome` settles once the turn is stored (never rejects for a provider failure).
 */
export async function runTurn(host: TurnHost, newTurn: NewTurn): Promise<StartResult> {
  const { deps, eventStore, active, snapshots } = host;
  const { fast, bus } = deps;
  const { turn, input, tab, provider, adapter, settings, images, resumeSessionId } = newTurn;
  const agent = tab.agent;
  const started = Date.now();
  // `done` settles when the turn is stored, whichever way it ends. It exists from the start, so
  // a Stop, a removal or a shutdown that comes while the CLI is still being looked up or
  // prepared waits for the turn instead of finding nothing to wait for.
  let settle!: () => void;
  const entry: ActiveTurn = {
    turnId: turn.id,
    tabId: tab.id,
    agentId: agent.id,
    process: null,
    stopRequested: false,
    done: new Promise<void>((resolve) => (settle = resolve)),
  };
  active.set(tab.id, entry);
  setAgentStatus(host, agent.id, "busy");

  const publish = (events: StoredEvent[]) => bus.publish("turn.events", { agentId: agent.id, tabId: tab.id, turnId: turn.id, events });
  const writer = eventStore.writer(turn.id, publish);
  writer.push({ type: "prompt", prompt: input.prompt, images: images.length });

  const tally = createTurnTally();
  const dialect = provider === "simulator" ? (settings.simulatorDialect ?? "claude") : undefined;
  const approvals = createTurnApprovals({
    gate: deps.approvals,
    adapter,
    dialect,
    turn: {
      turnId: turn.id,
      tabId: tab.id,
      agentId: agent.id,
      runId: input.run?.runId ?? null,
      ...(input.run ? { runTask: { document: input.run.document, task: input.run.task } } : {}),
      providerId: provider,
      cliHasRules: (dialect ?? provider) === "claude",
    },
    push: (e) => writer.push(e),
    process: () => entry.process,
    logger: deps.logger,
  });
  let gitStart: Awaited<ReturnType<TurnSnapshots["before"]>> = null;
  let outcome: TurnOutcome | null = null;
  const handle = (): { turnId: string; outcome: Promise<TurnOutcome> } => ({
    turnId: turn.id,
    outcome: entry.done.then(
      () =>
        outcome ?? {
          turnId: turn.id,
          status: "error",
          errorKind: "crash",
          errorMessage: "The turn could not be recorded.",
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          durationMs: Date.now() - started,
          reply: tally.reply(),
        },
    ),
  });

  const take = (events: AgentEvent[]) => {
    for (const e of events) {
      if (approvals.take(e)) continue;
      tally.take(e);
      writer.push(e);
      // The CLI reads more prompts from an open stdin: its turn is over, let it exit.
      if (e.type === "done") entry.process?.endInput();
    }
  };

  const finish = async (extra: AgentEvent | null) => {
    if (extra) take([extra]);
    const { failed, sawDone, sessionId, reported } = tally;
    const totals = tally.totals;
    // Stopped: the CLI ended without its result, or (claude with stdin open, interrupted while
    // asking) reported the interruption as a failed result.
    const stopped = entry.stopRequested && (!sawDone || !!failed);
    const status = stopped ? "stopped" : failed || !sawDone ? "error" : "done";
    const durationMs = Date.now() - started;
    const errorMessage = stopped ? "Stopped." : failed?.message;
    await approvals.end(status === "done" ? "done" : status === "stopped" ? "stopped" : "failed");
    const git = await snapshots.after(gitStart, turn.id);
    writer.push({
      type: "turn_end",
      status,
      durationMs,
      ...totals,
      ...(errorMessage && status !== "done" ? { error: errorMessage } : {}),
      ...(git ? { filesChanged: git.changed } : {}),
    });
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
      const providerTotals = reported
        ? JSON.stringify({ sessionId, ...reported })
        : sessionId === resumeSessionId
          ? tab.providerTotals
          : null;
      tabSession = { id: tab.id, providerSessionId: sessionId, providerTotals };
    } else if (input.freshSession && tab.providerSessionId !== null) {
      // The old session is dropped even when the new turn never got one of its own.
      tabSession = { id: tab.id, providerSessionId: null, providerTotals: null };
    }
    fast.turns.end({ turnId: turn.id, status, durationMs, ...totals, errorKind, errorMessage: storedError, git, tab: tabSession });
    outcome = {
      turnId: turn.id,
      status,
      errorKind,
      errorMessage: storedError,
      ...totals,
      ...tally.cache,
      providerSessionId: sessionId,
      durationMs,
      reply: tally.reply(),
      ...(approvals.timedOut ? { approvalTimedOut: true } : {}),
    };
    active.delete(tab.id);
    setAgentStatus(host, agent.id, status === "error" ? "error" : "idle", tally.lastLine() || (errorMessage ?? ""));
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

  /** Ends the turn without (or after) its CLI: stores it, then settles `done`. Never rejects. */
  const end = (extra: AgentEvent | null) =>
    void finish(extra).then(settle, (err) => {
      deps.logger.error(`turn ${turn.id}: ${errorText(err)}`);
      settle();
    });

  // The agent's rules and the folder's "before" snapshot are read while the CLI is looked up:
  // five turns starting at once (a group chat's fan-out) each wait for the slowest, not the sum.
  const rulesRead = (deps.approvals?.rulesFor(agent.id) ?? Promise.resolve([])).catch((err: unknown) => {
    deps.logger.error(`turn ${turn.id}: could not read the agent's rules: ${errorText(err)}`);
    return [] as string[];
  });
  const snapshotRead = snapshots.before(agent.folder, turn.id);
  const binary = await resolveBinary(deps, provider, settings.binaryPath);
  // Stopped while the CLI was being looked up: it is never started.
  if (entry.stopRequested) {
    end(null);
    return handle();
  }
  if (!binary) {
    end(notInstalledError(provider));
    return handle();
  }

  const allowRules = await rulesRead;
  const spec = turnSpecFor({
    provider,
    settings,
    folder: agent.folder,
    binary,
    prompt: input.prompt,
    images,
    resumeSessionId,
    isRoot: deps.isRoot ?? process.getuid?.() === 0,
    readOnly: input.readOnly,
    tabMode: tab.permissionMode,
    allowRules,
  });
  let invocation: Invocation;
  try {
    invocation = await prepareInvocation(adapter, spec);
    invocation = { ...invocation, env: { ...maestroEnv({ dataDir: deps.dataDir, agentId: agent.id }), ...invocation.env } };
  } catch (err) {
    end({ type: "error", kind: "provider", fatal: true, message: (err as Error).message });
    return handle();
  }
  const parser = adapter.createParser({
    model: settings.model ?? null,
    dialect,
    sessionBaseline: baselineFor(resumeSessionId, tab.providerTotals),
    approvals: invocation.stdinOpen === true,
  });
  gitStart = await snapshotRead;
  if (entry.stopRequested) {
    end(null);
    return handle();
  }

  entry.process = runProcess(
    invocation,
    {
      onLine: (line, truncated) => {
        take(
          truncated
            ? [
                {
                  type: "error",
                  kind: "malformed",
                  fatal: false,
                  message: `${provider} printed a line over 1 MiB; it was cut and skipped.`,
                },
              ]
            : [],
        );
        if (!truncated) take(parser.parse(line));
      },
      onExit: ({ exitCode, signal, stderrTail, spawnError, timedOut }) => {
        take(parser.end?.() ?? []);
        const { sawDone } = tally;
        let extra: AgentEvent | null = null;
        if (spawnError?.code === "ENOENT") extra = notInstalledError(provider);
        else if (spawnError)
          extra = { type: "error", kind: "crash", fatal: true, message: `Could not start ${provider}: ${spawnError.message}` };
        else if (timedOut)
          extra = {
            type: "error",
            kind: "timeout",
            fatal: true,
            message: `${provider} printed nothing for ${Math.round((deps.idleTimeoutMs ?? (settings.idleTimeoutSec ?? 600) * 1000) / 1000)} s and was stopped (a dead model endpoint makes CLIs retry for minutes).`,
          };
        else if (!entry.stopRequested) extra = classifyExit({ exitCode, signal, stderrTail, sawDone, dialect: adapter.dialect, provider });
        end(extra);
      },
    },
    {
      idleTimeoutMs: deps.idleTimeoutMs ?? (settings.idleTimeoutSec ?? 600) * 1000,
      stopGraceMs: deps.stopGraceMs,
      niceness: deps.niceness,
    },
  );
  return handle();
}
