import { z } from "zod";
import { DIALECT_IDS } from "../providers/types";
import { PERMISSION_MODES } from "./approvals";

/** Per-agent provider settings (stored as JSON on the agent). Every field is optional. */
export const agentSettingsSchema = z.object({
  model: z.string().trim().max(200).optional(),
  /** A binary for this agent only (wins over the provider-wide path and PATH). */
  binaryPath: z.string().trim().max(4096).optional(),
  extraArgs: z.array(z.string().max(4096)).max(50).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Environment names are letters, digits and _."), z.string().max(32_768))
    .optional(),
  /** Plan mode: the agent reads and plans but never writes (older setting; permissionMode "plan" wins). */
  readOnly: z.boolean().optional(),
  /**
   * Ask me / Accept edits / Plan / Bypass (see lib/schemas/approvals.ts). Unset: agents made
   * before approvals keep running as they did (bypass, or plan when readOnly).
   */
  permissionMode: z.enum(PERMISSION_MODES).optional(),
  /** Minutes before an unanswered approval is denied (default 30). */
  approvalTimeoutMin: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  /** The user's explicit statement that this machine is a sandbox (claude as root: IS_SANDBOX=1). */
  isSandbox: z.boolean().optional(),
  /** Which CLI the simulator imitates. */
  simulatorDialect: z.enum(DIALECT_IDS).optional(),
  /** Kill a turn whose CLI prints nothing for this long. */
  idleTimeoutSec: z
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .optional(),
  /** The Auto Run folder, relative to the project (default `.maestro/playbooks`); never outside it. */
  autorunFolder: z
    .string()
    .trim()
    .max(500)
    .refine(
      (p) => !p.includes("\0") && !p.startsWith("/") && !/^[A-Za-z]:|\\/.test(p),
      "Use a folder relative to the project, like .maestro/playbooks.",
    )
    .refine((p) => !p.split("/").includes(".."), "The Auto Run folder must stay inside the project (no “..”).")
    .optional(),
  /** The command terminal's shell (a path or a name on PATH); default: the user's $SHELL. */
  terminalShell: z.string().trim().max(4096).optional(),
  /** Typed into each new command terminal once its shell starts (e.g. `npm run dev`). */
  terminalStartup: z.string().max(4096).optional(),
  /** Where new worktree agents' folders go (absolute); default a sibling `<repo>-worktrees/`. */
  worktreeBase: z
    .string()
    .trim()
    .max(4096)
    .refine((p) => !p.includes("\0") && (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p)), "Use an absolute folder for worktrees.")
    .refine((p) => !p.split(/[\\/]+/).includes(".."), "The worktree folder must not contain “..” segments.")
    .optional(),
  /**
   * A setup script for new worktrees: a file inside the project (relative path), run as
   * `/bin/sh <file>` in the new worktree. A file, not a command line: nothing typed is ever
   * handed to a shell, and the script is versioned and reviewed with the repository.
   */
  worktreeSetup: z
    .string()
    .trim()
    .max(500)
    .refine(
      (p) => !p.includes("\0") && !p.startsWith("/") && !/^[A-Za-z]:|\\/.test(p),
      "Use a script file relative to the project, like scripts/worktree-setup.sh.",
    )
    .refine((p) => !p.split("/").includes(".."), "The setup script must be inside the project (no “..”).")
    .optional(),
});
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

/** Stored JSON → settings; anything unreadable falls back to defaults instead of breaking the agent. */
export function parseAgentSettings(json: string): AgentSettings {
  try {
    const r = agentSettingsSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}
