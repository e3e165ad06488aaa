import type { ProviderId } from "../../../lib/providers/catalog";
import type { AgentEvent } from "../../../lib/providers/events";
import { adapters, classifyExit, notInstalledError } from "../../../lib/providers/registry";
import { createTurnTally } from "../../../lib/providers/turn-tally";
import type { AgentSettings } from "../../../lib/schemas/agent-settings";
import { AppError } from "../../errors";

/** The sentence of a provider's "not installed" event. */
const notInstalled = (provider: ProviderId): string => {
  const e = notInstalledError(provider);
  return e.type === "error" ? e.message : `${provider} is not installed.`;
};
import type { DetectedProvider } from "../providers/detect";
import { SIMULATOR_BIN } from "../providers/detect";
import { prepareInvocation, turnSpecFor } from "./invocation";
import { runProcess } from "./process-runner";

export interface OneShotInput {
  provider: string;
  settings: AgentSettings;
  folder: string;
  prompt: string;
  detectProviders: () => Promise<DetectedProvider[]>;
  /** Give up when the CLI prints nothing for this long (default 120 s). */
  idleTimeoutMs?: number;
  niceness?: number;
}

/**
 * One prompt to the agent's provider outside any conversation: a fresh session, read-only,
 * nothing stored (no tab, no turn row, no History). Resolves with the reply's text, or throws
 * the provider's error as a sentence. For small side jobs such as drafting a commit message.
 */
export async function runOneShot(input: OneShotInput): Promise<string> {
  const provider = input.provider as ProviderId;
  const adapter = adapters[provider];
  if (!adapter) throw new AppError("BAD_INPUT", `Unknown provider ${input.provider}.`);
  const settings: AgentSettings = { ...input.settings, readOnly: true };
  let binary: string | null;
  if (provider === "simulator") binary = SIMULATOR_BIN;
  else if (settings.binaryPath) binary = settings.binaryPath;
  else {
    const found = (await input.detectProviders()).find((p) => p.id === provider);
    binary = found?.installed ? found.path : null;
  }
  if (!binary) throw new AppError("NOT_FOUND", notInstalled(provider));
  const spec = turnSpecFor({
    provider,
    settings,
    folder: input.folder,
    binary,
    prompt: input.prompt,
    images: [],
    resumeSessionId: null,
    isRoot: process.getuid?.() === 0,
  });
  const invocation = await prepareInvocation(adapter, spec);
  const parser = adapter.createParser({
    model: settings.model ?? null,
    dialect: provider === "simulator" ? (settings.simulatorDialect ?? "claude") : undefined,
    sessionBaseline: null,
  });
  const tally = createTurnTally();
  const take = (events: AgentEvent[]) => events.forEach((e) => tally.take(e));
  return new Promise<string>((resolve, reject) => {
    runProcess(
      invocation,
      {
        onLine: (line, truncated) => {
          if (!truncated) take(parser.parse(line));
        },
        onExit: ({ exitCode, signal, stderrTail, spawnError, timedOut }) => {
          take(parser.end?.() ?? []);
          let failure: string | null = null;
          if (spawnError?.code === "ENOENT") failure = notInstalled(provider);
          else if (spawnError) failure = `Could not start ${provider}: ${spawnError.message}`;
          else if (timedOut)
            failure = `${provider} printed nothing for ${Math.round((input.idleTimeoutMs ?? 120_000) / 1000)} s and was stopped.`;
          else {
            const exit = classifyExit({ exitCode, signal, stderrTail, sawDone: tally.sawDone, dialect: adapter.dialect, provider });
            if (exit?.type === "error" && exit.fatal) failure = exit.message;
          }
          failure ??= tally.failed?.message ?? null;
          const text = tally.reply().text.trim();
          if (failure && !text) reject(new AppError("CONFLICT", failure));
          else if (!text) reject(new AppError("CONFLICT", `${provider} gave no answer.`));
          else resolve(text);
        },
      },
      { idleTimeoutMs: input.idleTimeoutMs ?? 120_000, niceness: input.niceness },
    );
  });
}
