/**
 * OpenCode in batch mode: `opencode run --format json [--session ID] [--model P/M]
 * [--agent plan] [extra…] [-f FILE]…` with the prompt on stdin: opencode wraps an argv word
 * holding spaces in literal quotes before the model sees it, while stdin reaches it verbatim.
 */
import { checkImagePaths } from "../images";
import { promptWithSystem } from "../spec";
import type { Invocation, TurnSpec } from "../types";

/** Batch runs can't answer questions or permission prompts: allow the tools, drop `question`. */
export const OPENCODE_AUTO_CONFIG = { permission: { edit: "allow", bash: "allow", webfetch: "allow" }, tools: { question: false } };
/** Read-only (plan) and ask-first turns: never edit, never ask. */
export const OPENCODE_SAFE_CONFIG = { permission: { edit: "deny" }, tools: { question: false } };

export function buildInvocation(spec: TurnSpec): Invocation {
  const images = spec.images ?? [];
  checkImagePaths("opencode", images);
  const args = ["run", "--format", "json"];
  if (spec.resumeSessionId) args.push("--session", spec.resumeSessionId);
  if (spec.model) args.push("--model", spec.model);
  if (spec.readOnly) args.push("--agent", "plan");
  args.push(...(spec.extraArgs ?? []));
  // Last: yargs' array option `-f` would swallow any word after it.
  for (const img of images) args.push("-f", img);
  const auto = !spec.readOnly && (spec.autoApprove ?? true);
  return {
    command: spec.binary,
    args,
    env: { OPENCODE_CONFIG_CONTENT: JSON.stringify(auto ? OPENCODE_AUTO_CONFIG : OPENCODE_SAFE_CONFIG), ...spec.env },
    cwd: spec.cwd,
    stdin: promptWithSystem(spec),
  };
}
