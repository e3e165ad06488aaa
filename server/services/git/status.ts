import fs from "node:fs/promises";
import { parseStatusV2, sameStatus, type GitStatus } from "../../../lib/git/status";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { Logger } from "../../logger";
import { createFolderWatcher } from "../autorun/watch";
import { runGit } from "./run-git";

export interface GitStatusDeps {
  agents: {
    byId(id: string): Promise<{ id: string; folder: string }>;
    list(): Promise<{ id: string; folder: string }[]>;
  };
  bus: Bus;
  logger: Logger;
  /** Tests count spawns through this. */
  run?: typeof runGit;
  /** At most one git status per agent per this many ms (default 1 s). */
  minIntervalMs?: number;
}

/** Churn inside `.git` that never changes what status shows (objects, logs, locks git takes itself). */
const NOT_NEWS = /(^|[\\/])\.git[\\/](objects|logs|lfs)([\\/]|$)|\.lock$/;

/**
 * The git status of each agent's folder, cached: 20 agents on a dashboard cost at most one
 * `git status` each, and only when something may have changed since (a turn of that agent ended,
 * its folder changed while a client watches it, or nobody has asked yet). Refreshes are
 * throttled per agent, and concurrent asks share one run. `git.changed` goes out only when what
 * a person would see changed. A folder that is not a repository (or is gone) is `null`.
 */
export function createGitStatusService(deps: GitStatusDeps) {
  const { bus, logger } = deps;
  const run = deps.run ?? runGit;
  const minInterval = deps.minIntervalMs ?? 1000;

  interface Entry {
    folder: string;
    value: GitStatus | null;
    /** False until computed, and again once something may have changed. */
    fresh: boolean;
    inflight: Promise<GitStatus | null> | null;
    lastRun: number;
    timer: NodeJS.Timeout | null;
  }
  const cache = new Map<string, Entry>();
  let closed = false;

  async function compute(folder: string): Promise<GitStatus | null> {
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat?.isDirectory()) return null;
    const r = await run(["status", "--porcelain=v2", "--branch", "-z"], { cwd: folder });
    if (r.code === 0) return parseStatusV2(r.stdout);
    if (/not a git repository/i.test(r.stderr)) return null;
    const line = r.stderr.trim().split("\n")[0] || `exit status ${r.code}`;
    throw new AppError("BAD_INPUT", `git status failed: ${line.replace(/^(fatal|error): /, "")}`);
  }

  function entryFor(agentId: string, folder: string): Entry {
    let e = cache.get(agentId);
    if (!e || e.folder !== folder) {
      if (e?.timer) clearTimeout(e.timer);
      e = { folder, value: null, fresh: false, inflight: null, lastRun: 0, timer: null };
      cache.set(agentId, e);
    }
    return e;
  }

  /** Runs git now (or joins the run under way) and announces a change. */
  function load(agentId: string, e: Entry): Promise<GitStatus | null> {
    if (e.inflight) return e.inflight;
    e.lastRun = Date.now();
    e.fresh = true;
    const p = compute(e.folder).then(
      (value) => {
        if (e.inflight === p) e.inflight = null;
        const changed = !sameStatus(e.value, value);
        e.value = value;
        if (changed && cache.get(agentId) === e && !closed) bus.publish("git.changed", { agentId });
        return value;
      },
      (err: unknown) => {
        if (e.inflight === p) e.inflight = null;
        e.fresh = false;
        throw err;
      },
    );
    e.inflight = p;
    return p;
  }

  async function get(agentId: string, folder: string): Promise<GitStatus | null> {
    const e = entryFor(agentId, folder);
    if (e.inflight) return e.inflight;
    if (e.fresh) return e.value;
    return load(agentId, e);
  }

  /** Something may have changed: look again, no sooner than the interval after the last look. */
  function invalidate(agentId: string) {
    const e = cache.get(agentId);
    if (!e || closed) return;
    e.fresh = false;
    if (e.timer) return;
    const wait = Math.max(0, e.lastRun + minInterval - Date.now());
    e.timer = setTimeout(() => {
      e.timer = null;
      if (cache.get(agentId) !== e || e.fresh || closed) return;
      if (e.inflight) {
        // A run began before this change was seen: look again once it is done.
        void e.inflight.catch(() => null).then(() => invalidate(agentId));
        return;
      }
      load(agentId, e).catch((err: unknown) => logger.error(`git status of agent ${agentId}: ${(err as Error).message}`));
    }, wait);
    e.timer.unref();
  }

  const offTurn = bus.subscribe("turn.status", ({ agentId }) => invalidate(agentId));
  // Watchers are keyed by agent; their changes are throttled like any other.
  const watcher = createFolderWatcher((agentId) => invalidate(agentId), { ignore: (rel) => NOT_NEWS.test(rel) });

  return {
    /** The agent's folder's status, or null when it is not a git repository. */
    async status(agentId: string): Promise<GitStatus | null> {
      const agent = await deps.agents.byId(agentId);
      return get(agent.id, agent.folder);
    },

    /** Every agent's status in one call (for the dashboard); an agent whose git fails shows nothing. */
    async statuses(): Promise<Record<string, GitStatus | null>> {
      const agents = await deps.agents.list();
      // Agents deleted since are forgotten here, so the cache never outgrows the agent list.
      const ids = new Set(agents.map((a) => a.id));
      for (const [id, e] of cache) {
        if (ids.has(id)) continue;
        if (e.timer) clearTimeout(e.timer);
        cache.delete(id);
      }
      const values = await Promise.all(
        agents.map((a) =>
          get(a.id, a.folder).catch((err: unknown) => {
            logger.error(`git status of agent ${a.id}: ${(err as Error).message}`);
            return null;
          }),
        ),
      );
      return Object.fromEntries(agents.map((a, i) => [a.id, values[i]!]));
    },

    /** Marks an agent's status as possibly stale (throttled refresh, `git.changed` if it moved). */
    invalidate,

    /** Forgets every cached status (the bench measures cold runs with it). */
    clear() {
      for (const e of cache.values()) if (e.timer) clearTimeout(e.timer);
      cache.clear();
    },

    /** Watches the agent's folder while a client listens; returns the release. */
    async watch(agentId: string): Promise<() => void> {
      const agent = await deps.agents.byId(agentId);
      const release = watcher.acquire(agentId, agent.folder);
      // A change made before the watch was in place would otherwise wait for the next one.
      invalidate(agentId);
      return release;
    },

    shutdown() {
      closed = true;
      offTurn();
      watcher.closeAll();
      for (const e of cache.values()) if (e.timer) clearTimeout(e.timer);
    },
  };
}

export type GitStatusService = ReturnType<typeof createGitStatusService>;
