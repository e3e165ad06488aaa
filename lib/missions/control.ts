import { REF_FEATURE } from "./ref-status";
import type { FeatureView, HandoffView, MilestoneStatus, MissionView } from "./types";

/**
 * Mission Control as the reference CLI's `mission-control --json` snapshot (ReinaMacCredy/maestro
 * v0.40.6, src/tui/state/types.ts `MissionControlSnapshot`, built by src/tui/state/snapshot.ts):
 * its top-level keys in its order and its status words; what only its terminal UI has (config
 * inspector, git sidebar, ratchet) is null or empty. Handoffs are redacted as its read-only output
 * redacts them. `--preview` is one text frame of its dashboard. Pure.
 */

const REF_MILESTONE: Record<MilestoneStatus, string> = { pending: "pending", active: "executing", review: "validating", sealed: "sealed" };
const HIDDEN = "Details hidden in read-only output";

/** Which mission the reference shows: the given one, else the newest executing or paused, else the newest. */
export function selectMission(views: readonly MissionView[], missionId?: string): MissionView | null {
  if (missionId) return views.find((v) => v.id === missionId || v.refId === missionId) ?? null;
  const newest = [...views].sort((a, b) => b.refId.localeCompare(a.refId) || b.createdAt.localeCompare(a.createdAt));
  return newest.find((v) => v.status === "executing" || v.status === "paused") ?? newest[0] ?? null;
}

function effectiveStatus(view: MissionView): string {
  if (view.status === "draft" || view.status === "completed" || view.status === "failed") return view.status;
  const ordered = [...view.milestones].sort((a, b) => a.order - b.order);
  if (ordered.length > 0 && ordered.every((m) => m.status === "sealed")) return "completed";
  const first = ordered.find((m) => m.status !== "sealed");
  if (first && first.status !== "pending") return REF_MILESTONE[first.status];
  return view.status;
}

function blockedBy(view: MissionView, f: FeatureView): FeatureView[] {
  return f.dependsOn
    .map((d) => view.features.find((x) => x.key === d))
    .filter((x): x is FeatureView => !!x && x.status !== "done" && x.status !== "skipped");
}

const ref = (f: FeatureView) => ({ id: f.key, title: f.title, status: REF_FEATURE[f.status] });

function taskPreview(view: MissionView, f: FeatureView) {
  const milestone = view.milestones.find((m) => m.key === f.milestoneKey);
  const blockers = blockedBy(view, f);
  const unblocks = view.features.filter((x) => x.dependsOn.includes(f.key));
  return {
    id: f.key,
    title: f.title,
    status: REF_FEATURE[f.status],
    milestoneId: f.milestoneKey,
    milestoneTitle: milestone?.title ?? f.milestoneKey,
    agentType: f.workerType ?? "any",
    description: f.description,
    preconditions: null,
    expectedBehavior: null,
    verificationSteps: f.verificationSteps,
    dependsOn: f.dependsOn,
    ...(blockers.length > 0 ? { blockedBy: blockers.map(ref) } : {}),
    ...(unblocks.length > 0 ? { unblocks: unblocks.map(ref) } : {}),
    fulfills: f.fulfills,
    validTransitions: VALID_TRANSITIONS[REF_FEATURE[f.status]] ?? [],
  };
}

const VALID_TRANSITIONS: Record<string, string[]> = {
  pending: ["assigned", "in-progress"],
  assigned: ["in-progress"],
  "in-progress": ["review"],
  review: ["done", "blocked", "pending"],
  blocked: ["pending"],
  done: [],
};

function redacted(handoffs: readonly HandoffView[]) {
  return handoffs
    .filter((h) => h.status === "pending")
    .map((h) => ({ id: h.id, agent: h.claimedBy ?? "maestro", timestamp: h.createdAt, message: HIDDEN }));
}

/** The snapshot of `mission-control --json` (`missionId`: a mission's id or refId). */
export function missionControlJson(
  views: readonly MissionView[],
  handoffs: readonly HandoffView[],
  options: { missionId?: string; now?: Date } = {},
): unknown {
  const view = selectMission(views, options.missionId);
  const now = options.now ?? new Date();
  const pendingHandoffs = redacted(handoffs);
  if (!view) {
    return {
      mode: "home",
      missionId: "home",
      missionTitle: "",
      missionStatus: "approved",
      effectiveStatus: "approved",
      elapsedMs: 0,
      featureProgress: { done: 0, total: 0, active: 0 },
      statusProgress: { completed: 0, total: 0, inFlight: 0, blocked: 0, queued: 0, completionPct: 0 },
      tokenCounters: null,
      missionOverview: null,
      activeFeature: null,
      features: [],
      taskPreviews: [],
      session: null,
      pendingHandoffs,
      configSummary: null,
      progressLog: [],
      milestones: [],
      canPause: false,
      canResume: false,
      home: {
        headline: "No missions yet",
        summary: "Create one from a plan file: maestro mission create --file plan.json",
        locationLabel: "",
        checks: [],
        actions: [{ label: "Create a mission", command: "maestro mission create --file plan.json", detail: "from a plan file" }],
        pendingHandoffs,
      },
    };
  }
  const count = (pred: (f: FeatureView) => boolean) => view.features.filter(pred).length;
  const done = count((f) => f.status === "done" || f.status === "skipped");
  const active = count((f) => f.status === "in-progress" || f.status === "review");
  const blocked = count((f) => f.status === "blocked" || f.status === "failed");
  const total = view.features.length;
  const running = view.features.find((f) => f.status === "in-progress") ?? view.features.find((f) => f.status === "review");
  const ordered = [...view.milestones].sort((a, b) => a.order - b.order);
  const current = ordered.find((m) => m.status !== "sealed") ?? null;
  const gate = current && current.kind === "validation" && current.status === "review" ? current : null;
  const started = Date.parse(view.approvedAt ?? view.createdAt);
  const ended = view.completedAt ? Date.parse(view.completedAt) : now.getTime();
  return {
    mode: "mission",
    missionId: view.refId,
    missionTitle: view.title,
    missionStatus: view.status,
    effectiveStatus: effectiveStatus(view),
    elapsedMs: Number.isFinite(started) ? Math.max(0, ended - started) : 0,
    featureProgress: { done, total, active },
    statusProgress: {
      completed: done,
      total,
      inFlight: active,
      blocked,
      queued: total - done - active - blocked,
      completionPct: total === 0 ? 0 : Math.round((done / total) * 100),
    },
    tokenCounters: { input: view.totals.inputTokens, cached: 0, output: view.totals.outputTokens },
    missionOverview: {
      missionLabel: `${view.title} (${view.refId})`,
      statusLabel: effectiveStatus(view),
      activeCount: active,
      doneCount: done,
      totalCount: total,
      blockedCount: blocked,
      currentMilestone: current?.key ?? null,
      gateLabel: gate ? `${gate.title} waits for review` : null,
      agentSummary: Object.entries(
        view.features.reduce<Record<string, number>>((acc, f) => {
          const agent = f.agentName ?? f.workerType ?? "any";
          acc[agent] = (acc[agent] ?? 0) + 1;
          return acc;
        }, {}),
      ).map(([agent, n]) => ({ agent, count: n })),
      dependencyMap: [],
    },
    activeFeature: running ? taskPreview(view, running) : null,
    features: view.features.map((f) => {
      const blockers = blockedBy(view, f);
      return {
        id: f.key,
        title: f.title,
        status: REF_FEATURE[f.status],
        milestoneId: f.milestoneKey,
        agentType: f.workerType ?? "any",
        hasReport: f.status === "done" || f.status === "review",
        blockedByIds: blockers.map((b) => b.key),
        ...(blockers.length > 0 ? { blockedByLabel: `blocked by ${blockers.map((b) => b.key).join(", ")}` } : {}),
      };
    }),
    taskPreviews: view.features.map((f) => taskPreview(view, f)),
    session: view.branch ? { branch: view.branch, workingTreeClean: true, diffStat: "", changedFiles: [] } : null,
    pendingHandoffs,
    configSummary: null,
    progressLog: [],
    milestones: ordered.map((m) => ({
      id: m.key,
      title: m.title,
      status: REF_MILESTONE[m.status],
      order: m.order,
      kind: m.kind === "validation" ? "gate" : "work",
      profile: m.profile ?? "custom",
    })),
    gateBlocked: !!gate,
    gateLabel: gate ? `${gate.title} waits for review` : null,
    canPause: view.status === "executing",
    canResume: view.status === "paused",
    home: null,
  };
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** `mission-control --preview`: one text frame of the dashboard. */
export function missionControlPreview(
  views: readonly MissionView[],
  handoffs: readonly HandoffView[],
  options: { missionId?: string; now?: Date } = {},
): string {
  const snap = missionControlJson(views, handoffs, options) as {
    mode: string;
    missionId: string;
    missionTitle: string;
    missionStatus: string;
    effectiveStatus: string;
    elapsedMs: number;
    featureProgress: { done: number; total: number; active: number };
    statusProgress: { blocked: number; completionPct: number };
    milestones: { id: string; title: string; status: string; order: number; kind: string }[];
    features: { id: string; title: string; status: string; milestoneId: string; blockedByLabel?: string }[];
    pendingHandoffs: unknown[];
    gateLabel?: string | null;
    home: { headline: string; summary: string } | null;
  };
  if (snap.mode === "home")
    return [`Mission Control`, "", snap.home!.headline, snap.home!.summary, "", `Pending handoffs: ${snap.pendingHandoffs.length}`].join(
      "\n",
    );
  const lines = [
    `Mission Control — ${snap.missionTitle} (${snap.missionId})`,
    `Status: ${snap.missionStatus}${snap.effectiveStatus !== snap.missionStatus ? ` (effective: ${snap.effectiveStatus})` : ""}  Elapsed: ${duration(snap.elapsedMs)}`,
    `Features: ${snap.featureProgress.done}/${snap.featureProgress.total} done, ${snap.featureProgress.active} active, ${snap.statusProgress.blocked} blocked (${snap.statusProgress.completionPct}%)`,
    ...(snap.gateLabel ? [`Gate: ${snap.gateLabel}`] : []),
    "",
    "Milestones:",
    ...snap.milestones.map((m, i) => `  ${i + 1}. [${m.kind === "gate" ? "GATE" : "WORK"}] ${m.id}  ${m.status.padEnd(10)}  ${m.title}`),
    "",
    "Features:",
    ...snap.features.map(
      (f) =>
        `  ${f.id.padEnd(20)}  ${f.status.padEnd(12)}  ${f.title.slice(0, 40).padEnd(40)}  [${f.milestoneId}]${f.blockedByLabel ? `  ${f.blockedByLabel}` : ""}`,
    ),
    "",
    `Pending handoffs: ${snap.pendingHandoffs.length}`,
  ];
  return lines.join("\n");
}
