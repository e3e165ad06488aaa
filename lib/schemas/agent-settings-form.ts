import { z } from "zod";
import { agentSettingsSchema, type AgentSettings } from "./agent-settings";
import { PERMISSION_MODES } from "./approvals";

/**
 * The agent-settings form: what the inputs hold (text, switches), turned into settings and
 * checked by `agentSettingsSchema` itself, so the form and the bridge apply the same rules.
 * The only form-own rule is the env box's line syntax (KEY=value).
 */
export const agentSettingsFormFields = z.object({
  model: z.string(),
  binaryPath: z.string(),
  /** One argument per line. */
  extraArgs: z.string(),
  /** One KEY=value per line; blank lines and # comments are skipped. */
  env: z.string(),
  /** The old "plan mode" switch, kept as stored while no mode is chosen (see permissionMode). */
  readOnly: z.boolean(),
  /** "": never chosen (an agent from before approvals: it runs as its readOnly says). */
  permissionMode: z.union([z.literal(""), z.enum(PERMISSION_MODES)]),
  approvalTimeoutMin: z.string(),
  isSandbox: z.boolean(),
  simulatorDialect: z.string(),
  idleTimeoutSec: z.string(),
  autorunFolder: z.string(),
  terminalShell: z.string(),
  terminalStartup: z.string(),
  worktreeBase: z.string(),
  worktreeSetup: z.string(),
});
export type AgentSettingsForm = z.infer<typeof agentSettingsFormFields>;
export type AgentSettingsField = keyof AgentSettingsForm;

/** Settings → what the form shows. */
export function toAgentSettingsForm(s: AgentSettings): AgentSettingsForm {
  return {
    model: s.model ?? "",
    binaryPath: s.binaryPath ?? "",
    extraArgs: (s.extraArgs ?? []).join("\n"),
    env: Object.entries(s.env ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    readOnly: !!s.readOnly,
    permissionMode: s.permissionMode ?? "",
    approvalTimeoutMin: s.approvalTimeoutMin === undefined ? "" : String(s.approvalTimeoutMin),
    isSandbox: !!s.isSandbox,
    simulatorDialect: s.simulatorDialect ?? "",
    idleTimeoutSec: s.idleTimeoutSec === undefined ? "" : String(s.idleTimeoutSec),
    autorunFolder: s.autorunFolder ?? "",
    terminalShell: s.terminalShell ?? "",
    terminalStartup: s.terminalStartup ?? "",
    worktreeBase: s.worktreeBase ?? "",
    worktreeSetup: s.worktreeSetup ?? "",
  };
}

const blank = (v: string) => v.trim() || undefined;

/** The form's schema: its fields, read into settings (`simulator`: the dialect applies), piped into `agentSettingsSchema`. */
export function agentSettingsFormSchema(simulator: boolean) {
  return agentSettingsFormFields
    .transform((f, ctx): z.input<typeof agentSettingsSchema> => {
      const env: Record<string, string> = {};
      f.env.split("\n").forEach((raw, i) => {
        const line = raw.trim();
        if (!line || line.startsWith("#")) return;
        const eq = line.indexOf("=");
        if (eq < 0) ctx.addIssue({ code: "custom", path: ["env"], message: `Line ${i + 1}: write KEY=value.` });
        else env[line.slice(0, eq).trim()] = line.slice(eq + 1);
      });
      const extraArgs = f.extraArgs
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const idle = f.idleTimeoutSec.trim();
      const approvalTimeout = f.approvalTimeoutMin.trim();
      return {
        model: blank(f.model),
        binaryPath: blank(f.binaryPath),
        extraArgs: extraArgs.length ? extraArgs : undefined,
        env: Object.keys(env).length ? env : undefined,
        // A chosen mode decides, and the old switch follows it (Plan ⇔ readOnly).
        readOnly: (f.permissionMode ? f.permissionMode === "plan" : f.readOnly) || undefined,
        permissionMode: f.permissionMode || undefined,
        approvalTimeoutMin: approvalTimeout ? Number(approvalTimeout) : undefined,
        isSandbox: f.isSandbox || undefined,
        // Checked against the dialects by the schema below.
        simulatorDialect: simulator && f.simulatorDialect ? (f.simulatorDialect as AgentSettings["simulatorDialect"]) : undefined,
        idleTimeoutSec: idle ? Number(idle) : undefined,
        // "playbooks/" and "playbooks" are the same folder.
        autorunFolder: blank(f.autorunFolder.trim().replace(/\/+$/, "")),
        terminalShell: blank(f.terminalShell),
        terminalStartup: blank(f.terminalStartup),
        worktreeBase: blank(f.worktreeBase.trim().replace(/(.)\/+$/, "$1")),
        worktreeSetup: blank(f.worktreeSetup),
      };
    })
    .pipe(agentSettingsSchema);
}

/** Said instead of zod's generic wording (the limits are the schema's). */
const PLAIN: Partial<Record<AgentSettingsField, string>> = {
  idleTimeoutSec: "A whole number of seconds from 10 to 86400 (24 hours).",
  approvalTimeoutMin: "A whole number of minutes from 1 to 1440 (24 hours).",
  extraArgs: "At most 50 arguments, each at most 4096 characters.",
  model: "At most 200 characters.",
  autorunFolder: "At most 500 characters.",
  worktreeSetup: "At most 500 characters.",
};

/** Each field's first problem, worded for people. */
export function agentSettingsFormErrors(issues: readonly z.core.$ZodIssue[]): Partial<Record<AgentSettingsField, string>> {
  const out: Partial<Record<AgentSettingsField, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0] as AgentSettingsField | undefined;
    if (!field || out[field]) continue;
    if (issue.code === "custom") out[field] = issue.message;
    else if (issue.code === "invalid_key") out[field] = `“${String(issue.path[1])}”: ${issue.issues[0]?.message ?? issue.message}`;
    else out[field] = PLAIN[field] ?? issue.message;
  }
  return out;
}

/** Form → settings, or each wrong field's message. */
export function parseAgentSettingsForm(
  form: AgentSettingsForm,
  simulator: boolean,
): { settings: AgentSettings } | { errors: Partial<Record<AgentSettingsField, string>> } {
  const r = agentSettingsFormSchema(simulator).safeParse(form);
  return r.success ? { settings: r.data } : { errors: agentSettingsFormErrors(r.error.issues) };
}
