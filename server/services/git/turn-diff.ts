import type { Db } from "../../db";
import { AppError } from "../../errors";
import { DIFF_LINE_CAP, parseRawNumstat, parseUnifiedDiff } from "../../../lib/git/diff";
import { gitOk } from "./run-git";
import { repoOf, type AgentLookup } from "./diff-repo";
import type { FileDiffView } from "./diff";

const FULL_CAP = 200_000;
const DIFF_FLAGS = ["--no-color", "--no-ext-diff", "--find-renames"];
export const NO_TURN_RECORD =
  "No change record for this turn (its folder was not a git repository, or it ran before Maestro recorded changes).";

/**
 * What one turn changed: the diff between the working-tree snapshots taken before and after it
 * (services/turns/git-snapshot.ts), in the same shapes as a commit's diff so the same views
 * render it. Both trees are looked up in the turn's agent's repository.
 */
export function createTurnDiffService({ db, agents }: { db: Db; agents: AgentLookup }) {
  async function trees(turnId: string) {
    const turn = await db.turn.findUnique({ where: { id: turnId }, select: { agentId: true, gitBefore: true, gitAfter: true } });
    if (!turn) throw new AppError("NOT_FOUND", "This turn no longer exists.");
    if (!turn.gitBefore || !turn.gitAfter) throw new AppError("NOT_FOUND", NO_TURN_RECORD);
    const top = await repoOf(agents, turn.agentId);
    return { top, before: turn.gitBefore, after: turn.gitAfter };
  }

  async function turnFiles(turnId: string) {
    const { top, before, after } = await trees(turnId);
    const out = await gitOk(["diff-tree", "-r", ...DIFF_FLAGS, "--raw", "--numstat", "-z", before, after], { cwd: top });
    return { before, after, files: parseRawNumstat(out) };
  }

  return {
    turnFiles,
    async turnFile(turnId: string, filePath: string, full?: boolean): Promise<FileDiffView> {
      const { top, before, after } = await trees(turnId);
      const files = parseRawNumstat(
        await gitOk(["diff-tree", "-r", ...DIFF_FLAGS, "--raw", "--numstat", "-z", before, after], { cwd: top }),
      );
      const file = files.find((f) => f.path === filePath);
      if (!file) throw new AppError("NOT_FOUND", `${filePath} did not change in this turn.`);
      const paths = file.oldPath ? [file.oldPath, file.path] : [file.path];
      const base = ["diff", ...DIFF_FLAGS, before, after];
      const d = parseUnifiedDiff(await gitOk([...base, "--", ...paths], { cwd: top }), full ? FULL_CAP : DIFF_LINE_CAP);
      let bytes: FileDiffView["bytes"] = null;
      if (file.binary) {
        const m = /Bin (\d+) -> (\d+) bytes/.exec(await gitOk([...base, "--stat=1000", "--", ...paths], { cwd: top }));
        bytes = m ? { before: Number(m[1]), after: Number(m[2]) } : null;
      }
      return { ...d, binary: d.binary || file.binary, file, bytes };
    },
  };
}
