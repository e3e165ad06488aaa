/**
 * Gemini CLI in batch mode: `gemini -p PROMPT --output-format stream-json [-y] [-m M]
 * [--resume ID] [extra…]`, stdin closed. Without -y headless gemini offers no write or shell
 * tools, which is what read-only and ask-first turns want.
 */
import { ProviderCapabilityError } from "../errors";
import { promptWithSystem } from "../spec";
import type { Invocation, TurnSpec } from "../types";

export function buildInvocation(spec: TurnSpec): Invocation {
  if (spec.images?.length)
    throw new ProviderCapabilityError("gemini", "images_unsupported", "Gemini CLI can't take images in batch mode (it has no image flag).");
  const prompt = promptWithSystem(spec);
  // yargs reads a value that starts with "-" as another option; the `=` form keeps it a value.
  const args = prompt.startsWith("-") ? [`--prompt=${prompt}`] : ["-p", prompt];
  args.push("--output-format", "stream-json");
  if (!spec.readOnly && (spec.autoApprove ?? true)) args.push("-y");
  if (spec.model) args.push("-m", spec.model);
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  args.push(...(spec.extraArgs ?? []));
  return { command: spec.binary, args, env: { ...spec.env }, cwd: spec.cwd, stdin: null };
}
