import { AppError } from "../../errors";
import { LOG_FORMAT, parseLog, type Commit } from "../../../lib/git/log";
import { gitOk } from "./run-git";
import { hasHead, repoOf, resolveCommit, type AgentLookup } from "./diff-repo";

/** The branch's log, newest first, a page at a time: `before` is the last sha of the previous page. */
export function createLogService({ agents }: { agents: AgentLookup }) {
  return {
    async log(agentId: string, limit: number, before?: string): Promise<{ commits: Commit[]; more: boolean }> {
      const top = await repoOf(agents, agentId);
      if (!(await hasHead(top))) return { commits: [], more: false };
      if (limit < 1 || limit > 500) throw new AppError("BAD_INPUT", "Ask for 1 to 500 commits.");
      const start = before ? await resolveCommit(top, before) : "HEAD";
      const skip = before ? 1 : 0;
      const out = await gitOk(["log", "-z", `--format=${LOG_FORMAT}`, `--max-count=${limit + 1 + skip}`, start, "--"], { cwd: top });
      const all = parseLog(out).slice(skip);
      return { commits: all.slice(0, limit), more: all.length > limit };
    },
  };
}
