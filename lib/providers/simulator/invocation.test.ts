import { describe, expect, test } from "vitest";
import { buildInvocation as claude } from "../claude/invocation";
import { buildInvocation as codex } from "../codex/invocation";
import { buildInvocation as gemini } from "../gemini/invocation";
import { buildInvocation as opencode } from "../opencode/invocation";
import type { DialectId, TurnSpec } from "../types";
import { buildInvocation } from "./invocation";

const spec: TurnSpec = {
  prompt: "Fix the bug",
  cwd: "/work/p",
  binary: "/repo/bin/maestro-sim.mjs",
  model: "m",
  resumeSessionId: "s1",
  isRoot: true,
};
const REAL = { claude, codex, opencode, gemini };

describe("simulator buildInvocation: node <simBin> --dialect D + the dialect adapter's own argv", () => {
  test.each(["claude", "codex", "opencode", "gemini"] as DialectId[])("%s", (dialect) => {
    const inner = REAL[dialect](spec);
    const inv = buildInvocation({ ...spec, simulator: { dialect, nodePath: "/usr/bin/node" } });
    expect(inv).toEqual({ ...inner, command: "/usr/bin/node", args: ["/repo/bin/maestro-sim.mjs", "--dialect", dialect, ...inner.args] });
  });

  test("defaults: claude dialect, `node`, simBin from binary; an explicit extra param wins", () => {
    expect(buildInvocation(spec).args.slice(0, 3)).toEqual(["/repo/bin/maestro-sim.mjs", "--dialect", "claude"]);
    expect(buildInvocation(spec).command).toBe("node");
    const inv = buildInvocation(spec, { dialect: "gemini", nodePath: "/n", simBin: "/s.mjs" });
    expect(inv.command).toBe("/n");
    expect(inv.args.slice(0, 3)).toEqual(["/s.mjs", "--dialect", "gemini"]);
  });
});
