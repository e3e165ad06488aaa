import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parsePlan, planOf, referencePlanFile } from "./plan";
import type { MissionView } from "./types";

const README_PLAN = readFileSync(join(__dirname, "../../test/fixtures/maestro-ref/readme-plan.json"), "utf8");

const base = () => ({
  title: "T",
  milestones: [
    { id: "m1", title: "One", description: "", order: 0 },
    { id: "m2", title: "Two", description: "", order: 1, kind: "gate" },
  ],
  features: [
    {
      id: "a",
      milestoneId: "m1",
      title: "A",
      description: "",
      workerType: "claude-code",
      verificationSteps: ["npm test"],
      fulfills: ["a-works"],
    },
    { id: "b", milestoneId: "m1", title: "B", description: "", dependsOn: ["a"] },
    { id: "c", milestoneId: "m2", title: "C", description: "", dependsOn: ["a", "b"] },
  ],
});

function errorsOf(input: unknown): string[] {
  const r = parsePlan(input);
  return r.ok ? [] : r.errors;
}

describe("parsePlan", () => {
  test("the reference README's plan (agentType, kind work, profiles) parses", () => {
    const r = parsePlan(README_PLAN);
    if (!r.ok) throw new Error(r.errors.join("\n"));
    expect(r.plan.milestones.map((m) => [m.id, m.kind, m.profile])).toEqual([
      ["plan", "work", "planning"],
      ["implement", "work", "implementation"],
    ]);
    expect(r.plan.features[1]).toEqual({
      id: "auth-impl",
      milestoneId: "implement",
      title: "Implement the auth flow",
      description: "Build the first working authentication slice",
      workerType: "codex-cli",
      dependsOn: ["auth-plan"],
      verificationSteps: ["Run build", "Run targeted tests", "Verify the login flow manually"],
      fulfills: ["auth-login-works"],
    });
  });

  test("workerType or agentType; gate or validation → validation; order defaults to the place; description optional", () => {
    const p = base();
    p.milestones[0] = { id: "m1", title: "One", description: "" } as (typeof p.milestones)[0];
    (p.milestones[1] as { kind: string }).kind = "validation";
    const r = parsePlan(p);
    if (!r.ok) throw new Error(r.errors.join("\n"));
    expect(r.plan.milestones.map((m) => [m.order, m.kind])).toEqual([
      [0, "work"],
      [1, "validation"],
    ]);
    expect(r.plan.features.map((f) => f.workerType)).toEqual(["claude-code", null, null]);
    expect(r.plan.description).toBe("");
  });

  test("preconditions and expected behavior are kept in the description", () => {
    const p = base();
    Object.assign(p.features[0]!, { preconditions: "DB up", expectedBehavior: "Login works" });
    const r = parsePlan(p);
    expect(r.ok && r.plan.features[0]!.description).toBe("Preconditions: DB up\n\nExpected behavior: Login works");
  });

  test.each<[string, (p: ReturnType<typeof base>) => unknown, string]>([
    ["JSON syntax, with the place", () => '{"title": "x",\n  "milestones": [}', "Invalid JSON:"],
    ["a missing field, its path named", (p) => ({ ...p, title: undefined }), "title: is required."],
    ["an ill-typed field", (p) => ({ ...p, features: [{ ...p.features[0], dependsOn: "a" }] }), "features[0].dependsOn: must be a list."],
    ["an unknown field", (p) => ({ ...p, status: "draft" }), 'the plan: unknown field "status".'],
    ["a bad feature id", (p) => ({ ...p, features: [{ ...p.features[0], id: "../x" }] }), "features[0].id: use letters, digits, - and _"],
    ["no milestones", (p) => ({ ...p, milestones: [] }), "milestones: needs at least 1 item(s)."],
    [
      "a bad kind",
      (p) => ({ ...p, milestones: [{ ...p.milestones[0], kind: "review" }] }),
      "milestones[0].kind: must be one of work, gate, validation.",
    ],
    [
      "an unknown milestone",
      (p) => ({ ...p, features: [{ ...p.features[0], milestoneId: "m9" }] }),
      'Feature "a" belongs to milestone "m9", which the plan does not have (milestones: m1, m2).',
    ],
    ["a duplicate milestone", (p) => ({ ...p, milestones: [...p.milestones, p.milestones[0]] }), 'Duplicate milestone id "m1".'],
    ["a duplicate feature", (p) => ({ ...p, features: [...p.features, p.features[2]] }), 'Duplicate feature id "c".'],
    [
      "an unknown dependency",
      (p) => ({ ...p, features: [{ ...p.features[0], dependsOn: ["zz"] }, ...p.features.slice(1)] }),
      'Feature "a" depends on "zz", which is no feature of this plan.',
    ],
    [
      "a cycle, named",
      (p) => ({ ...p, features: [{ ...p.features[0], dependsOn: ["b"] }, ...p.features.slice(1)] }),
      "Dependency cycle: a → b → a.",
    ],
    [
      "a dependency on a later milestone",
      (p) => ({ ...p, features: [{ ...p.features[0], dependsOn: ["c"] }, p.features[1], { ...p.features[2], dependsOn: [] }] }),
      'Feature "a" (milestone "m1") depends on "c" of the later milestone "m2"',
    ],
    [
      "workerType and agentType that differ",
      (p) => ({ ...p, features: [{ ...p.features[0], agentType: "codex" }, ...p.features.slice(1)] }),
      'gives workerType "claude-code" and agentType "codex"',
    ],
  ])("%s", (_what, change, message) => {
    const errors = errorsOf(change(base()));
    expect(errors.some((e) => e.startsWith(message) || e.includes(message))).toBe(true);
  });

  test("a JSON syntax error says where", () => {
    expect(errorsOf('{\n  "title": ,\n}')).toEqual(['Invalid JSON: unexpected "," (line 2 column 12).']);
    expect(errorsOf('{"title": "x"')[0]).toMatch(/^Invalid JSON: /);
  });

  test("a three-feature cycle is named in full", () => {
    const p = base();
    p.features = [
      { id: "x", milestoneId: "m1", title: "X", description: "", dependsOn: ["z"] },
      { id: "y", milestoneId: "m1", title: "Y", description: "", dependsOn: ["x"] },
      { id: "z", milestoneId: "m1", title: "Z", description: "", dependsOn: ["y"] },
    ];
    expect(errorsOf(p)).toEqual(["Dependency cycle: x → z → y → x."]);
  });
});

describe("planOf and referencePlanFile", () => {
  test("a stored mission back to its plan, and to the reference's plan file", () => {
    const r = parsePlan(base());
    if (!r.ok) throw new Error(r.errors.join());
    const view = {
      title: "T",
      description: "",
      milestones: r.plan.milestones.map((m) => ({ ...m, key: m.id, id: `db-${m.id}`, status: "pending", sealedAt: null, sealedBy: null })),
      features: r.plan.features.map((f) => ({ ...f, key: f.id, id: `db-${f.id}`, milestoneKey: f.milestoneId })),
    } as unknown as MissionView;
    expect(planOf(view)).toEqual(r.plan);
    const file = referencePlanFile(r.plan) as {
      milestones: { kind: string }[];
      features: { agentType: string; verificationSteps: string[] }[];
    };
    expect(file.milestones.map((m) => m.kind)).toEqual(["work", "gate"]);
    expect(file.features.map((f) => f.agentType)).toEqual(["claude-code", "any", "any"]);
    expect(file.features[1]!.verificationSteps).toEqual(["No verification steps were given"]);
    const again = parsePlan(file);
    expect(again.ok && again.plan.features.map((f) => f.dependsOn)).toEqual([[], ["a"], ["a", "b"]]);
  });
});
