/**
 * Codex in batch mode:
 * `codex -C DIR exec [-i IMG]… --json --skip-git-repo-check [-s read-only|workspace-write |
 *  --dangerously-bypass-approvals-and-sandbox] [-m M] [extra…] [resume ID] -- PROMPT`, stdin closed.
 */
import { checkImagePaths } from "../images";
import { promptWithSystem } from "../spec";
import type { Invocation, TurnSpec } from "../types";

export function buildInvocation(spec: TurnSpec): Invocation {
  const images = spec.images ?? [];
  // codex splits -i values on commas.
  checkImagePaths("codex", images, { noCommas: true });
  const args = ["-C", spec.cwd, "exec"];
  // `-i` takes several values in some codex versions, so each one is followed by a flag: it can
  // never swallow `resume ID` or the prompt.
  for (const img of images) args.push("-i", img);
  args.push("--json", "--skip-git-repo-check");
  // The sandbox must come before `resume`: `exec resume` rejects -s and would forget it.
  if (spec.readOnly || !(spec.autoApprove ?? true)) args.push("-s", "read-only");
  else if (spec.isSandbox) args.push("--dangerously-bypass-approvals-and-sandbox");
  else args.push("-s", "workspace-write");
  if (spec.model) args.push("-m", spec.model);
  args.push(...(spec.extraArgs ?? []));
  if (spec.resumeSessionId) args.push("resume", spec.resumeSessionId);
  args.push("--", promptWithSystem(spec));
  return { command: spec.binary, args, env: { ...spec.env }, cwd: spec.cwd, stdin: null };
}
