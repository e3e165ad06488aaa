/**
 * Auto Run in a worktree, the pure half: what a run's `worktreeSettings` ask for, the branch name
 * a template gives, a free name when it is taken, and the words a pull request and History use.
 * The runner (server/services/autorun/worktree-run.ts) does the git work. Pure (types only).
 */
import { checkBranchName, MAX_BRANCH_LENGTH } from "../git/refs";
import type { RunConfig } from "./run-config";

export type WorktreeSettings = NonNullable<RunConfig["worktreeSettings"]>;

/** Where a run works when it works in a worktree, read from either spelling. */
export interface WorktreePlan {
  /** The branch name template, never empty (the default when none was written). */
  template: string;
  /** Push the branch and open a pull request when the run completes. */
  createPr: boolean;
  /** The branch the worktree starts from and the PR targets; null: the agent's current branch. */
  target: string | null;
}

export const DEFAULT_BRANCH_TEMPLATE = "autorun/{{PLAYBOOK}}-{{DATE}}";

/** The variables a branch name template may use (any case: desktop's registry writes `{{date}}`). */
export const BRANCH_TEMPLATE_VARIABLES = [
  "PLAYBOOK",
  "DOCUMENT_NAME",
  "AGENT_NAME",
  "BASE_BRANCH",
  "GIT_BRANCH",
  "DATE",
  "TIME",
  "DATETIME",
  "YEAR",
  "MONTH",
  "DAY",
  "WEEKDAY",
  "TIMESTAMP",
] as const;

/**
 * The plan a run's settings ask for, or null for a run in the agent's own folder. Desktop's
 * spelling (`branchNameTemplate`, `createPROnCompletion`, `prTargetBranch`) is on whenever the
 * object is there, as desktop reads it; our first spelling (`enabled`, `branchName`, `createPR`)
 * can also say `enabled: false`.
 */
export function worktreePlan(settings: WorktreeSettings | null | undefined): WorktreePlan | null {
  if (!settings || settings.enabled === false) return null;
  return {
    template: settings.branchNameTemplate?.trim() || settings.branchName?.trim() || DEFAULT_BRANCH_TEMPLATE,
    createPr: settings.createPROnCompletion ?? settings.createPR ?? false,
    target: settings.prTargetBranch?.trim() || null,
  };
}

/** A plan in desktop's spelling, as the playbook editor and the Run sheet store it. */
export function worktreeSettingsOf(plan: WorktreePlan | null): WorktreeSettings | null {
  if (!plan) return null;
  return {
    branchNameTemplate: plan.template,
    createPROnCompletion: plan.createPr,
    ...(plan.target ? { prTargetBranch: plan.target } : {}),
  };
}

export interface BranchVars {
  playbook: string;
  documentName: string;
  agentName: string;
  baseBranch: string;
  now: Date;
}

const pad = (n: number) => String(n).padStart(2, "0");
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const SLUG_MAX = 50;

/**
 * A name (an agent's, a playbook's) as one piece of a branch name: lower case, every run of
 * characters git or a shell would mind turned into one "-", no leading or trailing "-" or ".", no
 * piece ending in ".lock".
 * `keepSlash` keeps "/" for a value that is itself a branch.
 */
export function branchSlug(text: string, keepSlash = false): string {
  const allowed = keepSlash ? /[^A-Za-z0-9._/-]+/g : /[^A-Za-z0-9._-]+/g;
  let s = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(allowed, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/-{2,}/g, "-");
  if (!keepSlash) s = s.toLowerCase();
  const pieces = (t: string) => t.split("/").map(trimPiece).filter(Boolean).join("/");
  // Trimmed again after the cut: the cut can end a piece in "-", "." or ".lock".
  return pieces(pieces(s).slice(0, SLUG_MAX));
}

/** One piece of a branch name without the ends git refuses: "-" or "." at either end, ".lock" at the end. */
function trimPiece(piece: string): string {
  for (let p = piece; ;) {
    const next = p.replace(/^[-.]+|[-.]+$/g, "").replace(/\.lock$/i, "");
    if (next === p) return p;
    p = next;
  }
}

function branchValues(v: BranchVars): Record<string, string> {
  const d = v.now;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}-${pad(d.getMinutes())}`;
  const base = branchSlug(v.baseBranch, true) || "head";
  return {
    // A name with nothing usable in it still gives a piece, so "autorun/{{PLAYBOOK}}" never ends in "/".
    // A direct run is named after its documents ("plan.md, notes.md"): the names without ".md".
    PLAYBOOK: branchSlug(v.playbook.replace(/\.md\b/gi, "")) || "run",
    DOCUMENT_NAME: branchSlug(v.documentName.replace(/\.md$/i, "")) || "document",
    AGENT_NAME: branchSlug(v.agentName) || "agent",
    BASE_BRANCH: base,
    GIT_BRANCH: base,
    DATE: date,
    TIME: time,
    DATETIME: `${date}-${time}`,
    YEAR: String(d.getFullYear()),
    MONTH: pad(d.getMonth() + 1),
    DAY: pad(d.getDate()),
    WEEKDAY: WEEKDAYS[d.getDay()]!,
    TIMESTAMP: String(d.getTime()),
  };
}

export type BranchResult = { ok: true; branch: string } | { ok: false; message: string };

/**
 * The branch a template names: `{{VAR}}` filled (any case, spaces inside the braces allowed),
 * values made safe by `branchSlug`, then the whole name checked by `checkBranchName`. What the
 * template writes itself is not cleaned: a hostile template is refused, never repaired.
 */
export function expandBranchTemplate(template: string, vars: BranchVars): BranchResult {
  const values = branchValues(vars);
  const unknown: string[] = [];
  const branch = template.trim().replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    const value = values[name.toUpperCase()];
    if (value === undefined) unknown.push(whole);
    return value ?? whole;
  });
  if (unknown.length)
    return {
      ok: false,
      message: `The branch name template uses ${unknown.join(", ")}, which Maestro does not know. Known: ${BRANCH_TEMPLATE_VARIABLES.map((n) => `{{${n}}}`).join(" ")}.`,
    };
  const problem = checkBranchName(branch);
  if (problem) return { ok: false, message: `The branch name template gives “${branch.slice(0, 80)}”: ${problem}` };
  return { ok: true, branch };
}

/** `branch`, or `branch-2`, `branch-3`… the first one not `taken` (shortened to stay within the length limit). */
export function uniqueBranch(branch: string, taken: (name: string) => boolean): string {
  if (!taken(branch)) return branch;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = `${branch.slice(0, MAX_BRANCH_LENGTH - suffix.length).replace(/[./]+$/, "")}${suffix}`;
    if (!taken(name)) return name;
  }
}

/** A task's commit message: "Auto Run: <task text>", one line, at most 72 characters. */
export function taskCommitMessage(task: string): string {
  const line = task.replace(/\s+/g, " ").trim();
  const msg = `Auto Run: ${line}`;
  return msg.length <= 72 ? msg : `${msg.slice(0, 71).trimEnd()}…`;
}

export interface PrSummary {
  runName: string;
  documents: string[];
  /** The tasks ticked, in order. */
  tasks: string[];
  summary: string;
  branch: string;
}

/** The pull request's title and body: the run's name, then what was done. */
export function pullRequestText(s: PrSummary): { title: string; body: string } {
  const title = `Auto Run: ${s.runName}`.slice(0, 200);
  const tasks = s.tasks.length ? s.tasks.map((t) => `- [x] ${t.replace(/\s+/g, " ").trim()}`).join("\n") : "- (no task ticked)";
  const body = [
    "## Auto Run summary",
    "",
    s.summary,
    "",
    `**Documents:** ${s.documents.join(", ")}`,
    "",
    `**Tasks done (${s.tasks.length}):**`,
    tasks,
    "",
    "---",
    `Branch \`${s.branch}\`, opened by Maestro Auto Run.`,
  ].join("\n");
  return { title, body };
}

/** How a finished worktree run's branch was handed over. */
export interface PrOutcome {
  branch: string;
  url: string | null;
  /** gh: a pull request was opened; compare: the host's compare page (push done, PR to open there). */
  via: "gh" | "compare" | "none" | null;
  /** Why no pull request was opened (a warning, the run still completed). */
  warning: string | null;
}

const LINE = { branch: "Branch: ", pr: "Pull request: ", compare: "Open a pull request: ", warning: "Warning: " } as const;

/** The lines a worktree run adds to its History entry's detail (read back by `prLinkOf`). */
export function outcomeLines(o: PrOutcome): string[] {
  const lines = [`${LINE.branch}${o.branch}`];
  if (o.url && o.via === "gh") lines.push(`${LINE.pr}${o.url}`);
  else if (o.url) lines.push(`${LINE.compare}${o.url}`);
  if (o.warning) lines.push(`${LINE.warning}${o.warning}`);
  return lines;
}

/** Only web addresses are links: never `javascript:` or a file. */
export function webUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** The pull request (or compare page) a History entry's detail names, as a link. */
export function prLinkOf(detail: string): { label: string; url: string } | null {
  for (const line of detail.split("\n")) {
    const kind = line.startsWith(LINE.pr) ? "pr" : line.startsWith(LINE.compare) ? "compare" : null;
    if (!kind) continue;
    const url = webUrl(line.slice(LINE[kind].length).trim());
    if (url) return { label: kind === "pr" ? "Open pull request" : "Open a pull request", url };
  }
  return null;
}
