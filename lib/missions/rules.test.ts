import { describe, expect, it } from "vitest";
import {
  blockedByFailure,
  branchPart,
  chooseAgent,
  milestoneStep,
  missionBranches,
  missionComplete,
  openMilestones,
  parseVerificationStep,
  readyFeatures,
  stallOf,
  stuckOnFailure,
  transitiveDependents,
  verificationCommand,
  type RuleFeature,
  type RuleMilestone,
} from "./rules";

const f = (key: string, dependsOn: string[] = [], status: RuleFeature["status"] = "pending", milestoneKey = "m1"): RuleFeature => ({
  key,
  milestoneKey,
  status,
  dependsOn,
  fulfills: [`${key}-works`],
});
const m = (
  key: string,
  order: number,
  status: RuleMilestone["status"] = "pending",
  kind: RuleMilestone["kind"] = "work",
): RuleMilestone => ({
  key,
  order,
  kind,
  status,
});

describe("ready features", () => {
  const diamond = [f("a"), f("b", ["a"]), f("c", ["a"]), f("d", ["b", "c"])];
  it("starts only what has its dependencies done or skipped", () => {
    expect(readyFeatures(diamond, [m("m1", 1)]).map((x) => x.key)).toEqual(["a"]);
    const later = [f("a", [], "done"), f("b", ["a"]), f("c", ["a"], "in-progress"), f("d", ["b", "c"])];
    expect(readyFeatures(later, [m("m1", 1)]).map((x) => x.key)).toEqual(["b"]);
    const skipped = [f("a", [], "done"), f("b", ["a"], "skipped"), f("c", ["a"], "done"), f("d", ["b", "c"])];
    expect(readyFeatures(skipped, [m("m1", 1)]).map((x) => x.key)).toEqual(["d"]);
  });
  it("never starts a blocked feature, nor one of a milestone after an unsealed one", () => {
    expect(readyFeatures([f("a", [], "blocked")], [m("m1", 1)])).toEqual([]);
    const two = [f("a"), f("x", [], "pending", "m2")];
    expect(readyFeatures(two, [m("m1", 1), m("m2", 2)]).map((x) => x.key)).toEqual(["a"]);
    expect(readyFeatures(two, [m("m1", 1, "sealed"), m("m2", 2)]).map((x) => x.key)).toEqual(["x"]);
    expect([...openMilestones([m("m1", 1, "review"), m("m2", 2)])]).toEqual(["m1"]);
  });
  it("a dependency on a feature that does not exist never becomes ready", () => {
    expect(readyFeatures([f("a", ["ghost"])], [m("m1", 1)])).toEqual([]);
  });
});

describe("failures", () => {
  const chain = [f("a", [], "failed"), f("b", ["a"]), f("c", ["b"]), f("d"), f("e", ["c", "d"], "done")];
  it("blocks the transitive dependents that have not run", () => {
    expect(transitiveDependents(chain, "a")).toEqual(["b", "c", "e"]);
    expect(blockedByFailure(chain, "a")).toEqual(["b", "c"]);
  });
  it("the mission is stuck only when nothing runs or may start and something failed", () => {
    const ms = [m("m1", 1)];
    expect(stuckOnFailure(chain, ms, 0)?.key).toBeUndefined(); // d may still start
    const after = chain.map((x) =>
      x.key === "d" ? { ...x, status: "done" as const } : x.key === "b" || x.key === "c" ? { ...x, status: "blocked" as const } : x,
    );
    expect(stuckOnFailure(after, ms, 1)).toBeNull();
    expect(stuckOnFailure(after, ms, 0)?.key).toBe("a");
  });
});

describe("a stalled mission", () => {
  const ms = [m("m1", 1, "active"), m("m2", 2)];
  const passed = (...keys: string[]) => new Map(keys.map((k) => [k, "passed" as const]));
  it("is not stalled while something runs, may start, or a milestone waits for a person", () => {
    expect(stallOf([f("a", [], "done"), f("b", [], "blocked")], ms, passed("a-works"), 1)).toBeNull();
    expect(stallOf([f("a")], ms, new Map(), 0)).toBeNull();
    expect(
      stallOf([f("a", [], "done"), f("x", [], "blocked", "m2")], [m("m1", 1, "review", "validation"), m("m2", 2)], new Map(), 0),
    ).toBeNull();
    expect(stallOf([f("a", [], "done")], [m("m1", 1, "sealed")], new Map(), 0)).toBeNull();
  });
  it("names a failed feature first", () => {
    expect(stallOf([f("a", [], "failed"), f("b", ["a"], "blocked")], ms, new Map(), 0)).toEqual({ kind: "failed", key: "a" });
  });
  it("names the assertions a settled work milestone cannot seal on (pending after a hand-set done, failed after a skip)", () => {
    const features = [f("a", [], "done"), f("b", [], "done"), { ...f("c", [], "skipped"), fulfills: ["a-works"] }];
    const assertions = new Map([
      ["a-works", "failed" as const],
      ["b-works", "pending" as const],
    ]);
    expect(stallOf(features, ms, assertions, 0)).toEqual({
      kind: "assertions",
      milestoneKey: "m1",
      assertions: [
        { key: "a-works", status: "failed" },
        { key: "b-works", status: "pending" },
      ],
    });
  });
  it("else names the features nothing can move", () => {
    const features = [f("a", [], "done"), f("b", [], "blocked"), f("c", ["b"]), f("x", [], "pending", "m2")];
    expect(stallOf(features, ms, passed("a-works"), 0)).toEqual({ kind: "features", keys: ["b", "c"] });
  });
});

describe("milestones", () => {
  const done = [f("a", [], "done"), f("b", [], "skipped")];
  it("a work milestone seals once its features are settled and their assertions passed or waived", () => {
    const ms = m("m1", 1, "active");
    const open = openMilestones([ms]);
    expect(milestoneStep(ms, done, new Map([["a-works", "passed"]]), open)).toBe("seal");
    expect(milestoneStep(ms, done, new Map([["a-works", "waived"]]), open)).toBe("seal");
    expect(milestoneStep(ms, done, new Map([["a-works", "failed"]]), open)).toBe("wait");
    expect(milestoneStep(ms, [f("a", [], "in-progress")], new Map(), open)).toBe("wait");
  });
  it("a validation milestone goes to review, and waits there", () => {
    const ms = m("m1", 1, "active", "validation");
    expect(milestoneStep(ms, done, new Map(), openMilestones([ms]))).toBe("review");
    const inReview = { ...ms, status: "review" as const };
    expect(milestoneStep(inReview, done, new Map(), openMilestones([inReview]))).toBe("wait");
  });
  it("a later milestone waits for the earlier one", () => {
    const all = [m("m1", 1, "active"), m("m2", 2)];
    expect(milestoneStep(all[1]!, [f("x", [], "done", "m2")], new Map([["x-works", "passed"]]), openMilestones(all))).toBe("wait");
  });
  it("complete when every milestone is sealed", () => {
    expect(missionComplete([m("a", 1, "sealed"), m("b", 2, "sealed")])).toBe(true);
    expect(missionComplete([m("a", 1, "sealed"), m("b", 2, "review")])).toBe(false);
  });
});

describe("agent choice", () => {
  const pool = [
    { id: "p1", provider: "claude" },
    { id: "p2", provider: "codex" },
    { id: "p3", provider: "claude" },
  ];
  it("the reassigned agent, else the least busy of the worker type, else of the pool, else the project agent", () => {
    const busy = new Map([
      ["p1", 2],
      ["p3", 1],
    ]);
    expect(chooseAgent({ feature: { agentId: "p2" }, pool, projectAgentId: "P", busy })).toBe("p2");
    expect(chooseAgent({ feature: { workerType: "claude" }, pool, projectAgentId: "P", busy })).toBe("p3");
    expect(chooseAgent({ feature: { workerType: "gemini" }, pool, projectAgentId: "P", busy })).toBe("p2");
    expect(chooseAgent({ feature: {}, pool: [], projectAgentId: "P", busy })).toBe("P");
    // An agent no longer in the pool is not used.
    expect(chooseAgent({ feature: { agentId: "gone", workerType: "codex" }, pool, projectAgentId: "P", busy })).toBe("p2");
  });
});

describe("branches", () => {
  it("cleans keys into one ref component and never gives two features one branch", () => {
    expect(branchPart("../Auth login!.lock")).toBe("Auth-login");
    expect(branchPart("-")).toBe("x");
    const b = missionBranches("M 1", ["a b", "a-b", "a/b", "main"]);
    expect(b.mission).toBe("mission/M-1/main");
    expect([...b.features.values()]).toEqual(["mission/M-1/f/a-b", "mission/M-1/f/a-b-2", "mission/M-1/f/a-b-3", "mission/M-1/f/main"]);
  });
});

describe("verification commands", () => {
  it("a command in backticks or after “$ ” becomes argv, quotes honoured", () => {
    expect(verificationCommand("`npm test`")).toEqual(["npm", "test"]);
    expect(verificationCommand("$ node -e \"process.exit(1)\" 'a b' c\\ d")).toEqual(["node", "-e", "process.exit(1)", "a b", "c d"]);
    expect(verificationCommand('`grep -q "" x.txt`')).toEqual(["grep", "-q", "", "x.txt"]);
    expect(verificationCommand("the login page shows an error")).toBeNull();
  });
  it("refuses shell operators with the reason", () => {
    for (const [step, what] of [
      ["`npm test | tee log`", "pipe"],
      ["$ make && make install", "&"],
      ["$ ls; rm -rf x", ";"],
      ["`cat < in > out`", "redirection"],
      ["$ echo $(whoami)", "$"],
      ["$ echo $HOME", "$"],
    ] as const) {
      const p = parseVerificationStep(step);
      expect(p && "refused" in p ? p.refused : "").toContain(what);
      expect(verificationCommand(step)).toBeNull();
    }
    const open = parseVerificationStep("$ echo 'oops");
    expect(open && "refused" in open ? open.refused : "").toContain("unclosed");
  });
});
