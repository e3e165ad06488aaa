import type { Logger } from "../../logger";
import { errorText } from "../../errors";
import { createRepoCache, treesChanged, workTreeSnapshot, type RepoPaths } from "../git/snapshot";

export interface TurnSnapshots {
  /** The tree before the turn, or null (not a repository, or it failed: logged). */
  before(folder: string, turnId: string): Promise<{ repo: RepoPaths; tree: string } | null>;
  /** The tree after the turn and how many files differ from `before`, or null. */
  after(
    start: { repo: RepoPaths; tree: string } | null,
    turnId: string,
  ): Promise<{ before: string; after: string; changed: number } | null>;
}

/**
 * Records what a turn changed in its folder's repository. A change record is a nice-to-have:
 * every failure is logged and the record is simply absent, never a failed or held-up turn.
 */
export function createTurnSnapshots(logger: Logger): TurnSnapshots {
  const repoOf = createRepoCache();
  return {
    async before(folder, turnId) {
      try {
        const repo = await repoOf(folder);
        if (!repo) return null;
        return { repo, tree: await workTreeSnapshot(repo) };
      } catch (err) {
        logger.error(`turn ${turnId}: no change record (before): ${errorText(err)}`);
        return null;
      }
    },
    async after(start, turnId) {
      if (!start) return null;
      try {
        const tree = await workTreeSnapshot(start.repo);
        return { before: start.tree, after: tree, changed: await treesChanged(start.repo.top, start.tree, tree) };
      } catch (err) {
        logger.error(`turn ${turnId}: no change record (after): ${errorText(err)}`);
        return null;
      }
    },
  };
}
