/**
 * The simulator: `node <simBin> --dialect D <the dialect's own argv>`. It reuses the real
 * adapter's buildInvocation, so a simulator turn exercises that adapter end to end.
 */
import { buildInvocation as claude } from "../claude/invocation";
import { buildInvocation as codex } from "../codex/invocation";
import { buildInvocation as gemini } from "../gemini/invocation";
import { buildInvocation as opencode } from "../opencode/invocation";
import type { DialectId, Invocation, SimulatorOptions, TurnSpec } from "../types";

const BUILDERS: Record<DialectId, (spec: TurnSpec) => Invocation> = { claude, codex, opencode, gemini };

export function buildInvocation(spec: TurnSpec, sim: SimulatorOptions = spec.simulator ?? {}): Invocation {
  const dialect = sim.dialect ?? "claude";
  const simBin = sim.simBin ?? spec.binary;
  const inner = BUILDERS[dialect](spec);
  return { ...inner, command: sim.nodePath ?? "node", args: [simBin, "--dialect", dialect, ...inner.args] };
}
