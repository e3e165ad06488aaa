import fs from "node:fs/promises";
import path from "node:path";
import type { ProviderId } from "../../../lib/providers/catalog";
import { claudeStreamJsonInput } from "../../../lib/providers/claude/invocation";
import { imageMediaType } from "../../../lib/providers/images";
import type { Invocation, ProviderAdapter, TurnSpec } from "../../../lib/providers/types";
import type { AgentSettings } from "../../../lib/schemas/agent-settings";
import { PERMISSION_MODES, type PermissionMode } from "../../../lib/schemas/approvals";
import { SIMULATOR_BIN } from "../providers/detect";

/** The `maestro` CLI of this checkout, for agents to run as `node $MAESTRO_CLI …`. */
export const MAESTRO_CLI = path.resolve(import.meta.dirname, "../../../bin/maestro.mjs");

/**
 * What every provider CLI gets in its env so the agent can call `maestro` for cross-agent work:
 * the data dir (the CLI finds this bridge from inside any folder, even one started with
 * --data-dir), which agent it is, and where the CLI is (a checkout has no `maestro` on PATH).
 * Under the agent's own env settings, which win. A remote bridge's MAESTRO_URL/MAESTRO_TOKEN in
 * the bridge's own environment are blanked: the agent's `maestro` talks to this bridge, and an
 * owner-equivalent token for another machine is no agent's to read.
 */
export function maestroEnv(input: { dataDir?: string; agentId: string }): Record<string, string> {
  return {
    ...(input.dataDir ? { MAESTRO_HOME: input.dataDir } : {}),
    MAESTRO_AGENT_ID: input.agentId,
    MAESTRO_CLI,
    MAESTRO_URL: "",
    MAESTRO_TOKEN: "",
  };
}

/**
 * The permission mode a turn runs in: a read-only turn is plan; else the tab's override, the
 * agent's setting, and for agents made before approvals what they did then (plan when
 * readOnly, else bypass).
 */
export function permissionModeFor(settings: AgentSettings, tabMode: string | null | undefined, readOnly?: boolean): PermissionMode {
  if (readOnly) return "plan";
  const tab = PERMISSION_MODES.find((m) => m === tabMode);
  if (tab) return tab;
  if (settings.permissionMode) return settings.permissionMode;
  return settings.readOnly ? "plan" : "bypass";
}

/** What a turn's CLI is asked to do, from the agent's settings and this prompt. */
export function turnSpecFor(input: {
  provider: ProviderId;
  settings: AgentSettings;
  folder: string;
  binary: string;
  prompt: string;
  images: string[];
  resumeSessionId: string | null;
  isRoot: boolean;
  /** This turn only in read-only / plan mode (the agent's setting turns it on for every turn). */
  readOnly?: boolean;
  /** The tab's override of the agent's permission mode. */
  tabMode?: string | null;
  /** The agent's "always allow" rules. */
  allowRules?: string[];
}): TurnSpec {
  const { provider, settings } = input;
  const permissionMode = permissionModeFor(settings, input.tabMode, input.readOnly);
  return {
    prompt: input.prompt,
    cwd: input.folder,
    binary: input.binary,
    resumeSessionId: input.resumeSessionId,
    model: settings.model ?? null,
    // CLIs that cannot ask read plan as their read-only mode and run everything else as before.
    readOnly: permissionMode === "plan",
    autoApprove: true,
    permissionMode,
    allowRules: input.allowRules ?? [],
    isSandbox: settings.isSandbox ?? false,
    isRoot: input.isRoot,
    images: input.images,
    extraArgs: settings.extraArgs,
    env: settings.env,
    simulator:
      provider === "simulator"
        ? { dialect: settings.simulatorDialect ?? "claude", nodePath: process.execPath, simBin: SIMULATOR_BIN }
        : undefined,
  };
}

/**
 * The argv, env and stdin to run. A CLI that takes images on stdin (claude's stream-json) gets
 * the files read and encoded here. Throws with a message for the user when the spec can't run.
 */
export async function prepareInvocation(adapter: ProviderAdapter, spec: TurnSpec): Promise<Invocation> {
  const invocation = adapter.buildInvocation(spec);
  if (!invocation.stdinImages) return invocation;
  const blocks = await Promise.all(
    invocation.stdinImages.paths.map(async (p) => ({
      mediaType: imageMediaType(p) ?? "image/png",
      base64: (await fs.readFile(p)).toString("base64"),
    })),
  );
  return { ...invocation, stdin: claudeStreamJsonInput(invocation.stdinImages.prompt, blocks) };
}
