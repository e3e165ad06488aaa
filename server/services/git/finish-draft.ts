import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { commitMessageFromReply } from "../../../lib/git/finish";
import { buildCommitPrompt } from "../../../lib/prompts/commit-message";
import { AppError } from "../../errors";
import { runOneShot } from "../turns/one-shot";
import type { FinishDeps } from "./finish";
import type { FinishAgent, FinishRepo } from "./finish-repo";
import { runGit } from "./run-git";

const MAX_PATCH_BYTES = 4 * 1024 * 1024;

/**
 * What a commit of everything would hold, without touching the real index: `git add -A` (of
 * `spec`, the pathspec Commit adds) into a copy of the index, then the staged stat and patch
 * against HEAD from that copy.
 */
export async function pendingChanges(
  top: string,
  env?: Record<string, string>,
  spec: string[] = [],
): Promise<{ stat: string; patch: string }> {
  const indexPath = path.resolve(top, (await runGit(["rev-parse", "--git-path", "index"], { cwd: top, env })).stdout.trim());
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "maestro-draft-"));
  const copy = path.join(dir, "index");
  try {
    await fs.copyFile(indexPath, copy).catch(() => null);
    const scratch = { ...env, GIT_INDEX_FILE: copy };
    const add = await runGit(["add", "-A", ...spec], { cwd: top, env: scratch, timeoutMs: 60_000 });
    if (add.code !== 0) throw new AppError("BAD_INPUT", `git add failed: ${add.stderr.trim().split("\n")[0]}`);
    const stat = await runGit(["diff", "--cached", "--no-color", "--stat=100", "--summary"], { cwd: top, env: scratch });
    const patch = await runGit(["diff", "--cached", "--no-color", "--no-ext-diff"], {
      cwd: top,
      env: scratch,
      maxBytes: MAX_PATCH_BYTES,
    }).catch(() => ({ stdout: "", code: 1 }));
    return { stat: stat.code === 0 ? stat.stdout : "", patch: patch.code === 0 ? patch.stdout : "" };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The agent drafts the commit message: a read-only one-shot run of its own provider over the pending diff. */
export function createDraft(host: {
  deps: FinishDeps;
  repo(agentId: string): Promise<FinishRepo>;
  autorunLeftOut(agent: FinishAgent, top: string): Promise<string[]>;
}) {
  return {
    draftCommitMessage: async (input: { agentId: string }): Promise<{ message: string }> => {
      const { agent, top } = await host.repo(input.agentId);
      const { stat, patch } = await pendingChanges(top, host.deps.env, await host.autorunLeftOut(agent, top));
      if (!stat.trim()) throw new AppError("BAD_INPUT", "Nothing to commit: the work tree has no changes.");
      const reply = await runOneShot({
        provider: agent.provider,
        settings: await host.deps.agents.settings(agent.id),
        folder: top,
        prompt: buildCommitPrompt(stat, patch),
        detectProviders: host.deps.detectProviders,
        niceness: host.deps.niceness,
      });
      const message = commitMessageFromReply(reply);
      if (!message) throw new AppError("CONFLICT", `${agent.provider} answered without a commit message; type one instead.`);
      return { message };
    },
  };
}
