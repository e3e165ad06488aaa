import fs from "node:fs";
import { AppError } from "../../errors";
import { runGit } from "./run-git";

export interface AgentLookup {
  byId(id: string): Promise<{ name: string; folder: string }>;
}

/** The top of the agent's repository (git paths are relative to it), or a NOT_FOUND naming the agent. */
export async function repoOf(agents: AgentLookup, agentId: string): Promise<string> {
  const agent = await agents.byId(agentId);
  if (!fs.statSync(agent.folder, { throwIfNoEntry: false })?.isDirectory())
    throw new AppError("NOT_FOUND", `${agent.name}'s folder ${agent.folder} is missing.`);
  const r = await runGit(["rev-parse", "--show-toplevel"], { cwd: agent.folder });
  if (r.code !== 0) throw new AppError("NOT_FOUND", `${agent.name} is not in a git repository.`);
  return r.stdout.replace(/\n$/, "");
}

/** Whether HEAD points at a commit (false on a fresh `git init`). */
export async function hasHead(cwd: string): Promise<boolean> {
  return (await runGit(["rev-parse", "--verify", "-q", "HEAD"], { cwd })).code === 0;
}

/** A commit named by the client: hex, 4-40 characters, and it must exist. Returns the full sha. */
export async function resolveCommit(cwd: string, sha: string): Promise<string> {
  if (!/^[0-9a-f]{4,40}$/i.test(sha)) throw new AppError("BAD_INPUT", "A commit is 4 to 40 hex characters.");
  const r = await runGit(["rev-parse", "--verify", "-q", `${sha}^{commit}`], { cwd });
  if (r.code !== 0) throw new AppError("NOT_FOUND", `No commit ${sha} in this repository.`);
  return r.stdout.trim();
}
