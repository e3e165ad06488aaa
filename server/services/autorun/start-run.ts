import { parseChecklist } from "../../../lib/autorun/checklist";
import { runConfigSchema, type RunConfigInput } from "../../../lib/autorun/run-config";
import type { Db } from "../../db";
import { cuid } from "../../db/fast";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { autorunFolderOf, documentPath, readDocument } from "./files";
import { ACTIVE_STATUSES } from "./run-queries";
import type { RunEvents } from "./run-events";
import type { RunRow } from "./run-state";
import { runView } from "./run-view";
import type { WorktreeRuns } from "./worktree-run";

export interface StartInput {
  agentId: string;
  config: RunConfigInput;
  name?: string;
  playbookId?: string | null;
}

/**
 * Starting a run: the checks (one active run per agent, no halt marker left), the worktree when
 * the run asks for one (the run then belongs to the new worktree agent, so runs of one agent in
 * worktrees go side by side), then the run's tab and row together.
 */
export function createStartRun(ctx: {
  db: Db;
  bus: Bus;
  events: RunEvents;
  wt: WorktreeRuns;
  urlOf: (runId: string) => string;
  changed: (run: RunRow) => void;
  drive: (runId: string) => void;
  /** Removes a worktree agent made for this start again (worktree, branch, agent). */
  undoWorktree: (agentId: string) => Promise<void>;
}) {
  const { db, bus, wt } = ctx;
  return async function start(input: StartInput) {
    const config = runConfigSchema.parse(input.config);
    const plan = wt.plan(config);
    const agent = await db.agent.findUnique({
      where: { id: input.agentId },
      select: { id: true, name: true, folder: true, settingsJson: true },
    });
    if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
    const busy = plan
      ? null
      : await db.autorunRun.findFirst({
          where: { agentId: agent.id, status: { in: ACTIVE_STATUSES } },
          select: { id: true, status: true },
        });
    if (busy)
      throw new AppError("CONFLICT", `${agent.name} already has a ${busy.status} Auto Run. Finish or abort it first.`, {
        hint: ctx.urlOf(busy.id),
      });
    const folder = await autorunFolderOf(agent);
    for (const d of config.documents) {
      const file = await documentPath(folder, d.filename);
      const c = parseChecklist(await readDocument(file, d.filename));
      if (c.halt)
        throw new AppError(
          "CONFLICT",
          `${d.filename} has a halt marker from an earlier run (“${c.halt.reason || "no reason"}”). Clear it before starting.`,
          { field: "halt" },
        );
    }
    const name =
      input.name?.trim() ||
      config.documents
        .map((d) => d.filename)
        .join(", ")
        .slice(0, 120);
    const worktree = plan ? await wt.prepare({ parent: agent, config, plan, name, undo: ctx.undoWorktree }) : null;
    const agentId = worktree?.agent.id ?? agent.id;
    // The run's tab and the run in one transaction (a batch, so no lock is held across awaits):
    // a failure leaves neither an orphan tab nor a run without its tab, and takes the worktree
    // agent made for it back.
    const tabId = cuid();
    const [, run] = await db
      .$transaction([
        db.tab.create({ data: { id: tabId, agentId, name: `Auto Run · ${name}`.slice(0, 100), sortOrder: 10_000 } }),
        db.autorunRun.create({
          data: {
            agentId,
            playbookId: input.playbookId ?? null,
            name,
            configJson: JSON.stringify(worktree?.config ?? config),
            tabId,
            status: "running",
            activeSince: new Date(),
            worktreeAgentId: worktree?.agent.id ?? null,
            worktreeBranch: worktree?.branch ?? null,
          },
        }),
      ])
      .catch(async (err: unknown) => {
        if (worktree) await ctx.undoWorktree(worktree.agent.id);
        throw err;
      });
    bus.publish("tabs.changed", { agentId });
    ctx.changed(run);
    const runner = worktree?.agent ?? agent;
    ctx.events.emit({
      type: "run-started",
      runId: run.id,
      kind: run.playbookId ? "playbook" : "direct",
      playbookId: run.playbookId,
      name,
      tabId,
      agent: { id: runner.id, name: runner.name, folder: runner.folder },
    });
    ctx.drive(run.id);
    return runView(run);
  };
}
