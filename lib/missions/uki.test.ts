import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { normalizeHandoff, type Handoff } from "./handoff";
import { decodeUki, encodeUki } from "./uki";

const FIXTURES = join(__dirname, "../../test/fixtures/maestro-ref/uki");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8").trim();

function handoff(fields: Record<string, unknown>): Handoff {
  const r = normalizeHandoff({ sessionCore: "s", summary: "Done", nextAction: "next", cs: { work: 0.9 }, ...fields });
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.handoff;
}

describe("UKI v5.4: the reference README's examples", () => {
  test("the README's --uki create example encodes byte for byte", () => {
    const h = handoff({
      mode: "execute",
      sessionCore: "handoff_real_example",
      summary: "Handoff_real_example-ready-low_risk",
      nextAction: "pick_up_auth_impl",
      decisions: ["preserve_pickup_clarity"],
      touchedFiles: ["file_src_auth_ts"],
      completedWork: ["auth_flow_scaffolded"],
      validation: ["compiled_cli_green"],
      artifacts: ["file_src_auth_ts"],
      readMore: ["file_src_auth_ts"],
      risks: ["green_tests_masked_contract_drift"],
      blindSpot: "green_tests_masked_contract_drift",
      metaphor: "baton_pass_snapshot",
      cs: { work: 0.9 },
    });
    expect(encodeUki(h)).toBe(fixture("readme-execute.uki"));
  });

  test("the README's create-and-pick-up example (no blind spot, no metaphor)", () => {
    const h = handoff({
      sessionCore: "execute_auth_flow",
      summary: "Auth_flow_ready-handoff_created-low_risk",
      nextAction: "pick_up_auth_impl",
      artifacts: ["file_src_auth_ts"],
      readMore: ["file_src_auth_ts"],
      completedWork: ["auth_flow_scaffolded"],
      validation: ["build_green"],
    });
    expect(encodeUki(h)).toBe(fixture("readme-create.uki"));
  });

  test.each(["readme-execute.uki", "plan-refs.uki", "execute-metaphor.uki", "readme-create.uki"])(
    "%s decodes and re-encodes to itself",
    (name) => {
      const s = fixture(name);
      const r = decodeUki(s);
      if (!r.ok) throw new Error(r.error);
      expect(r.version).toBe("5.4");
      expect(encodeUki(r.handoff)).toBe(s);
    },
  );

  test("plan mode: refs, several list items, both confidences", () => {
    const r = decodeUki(fixture("plan-refs.uki"));
    if (!r.ok) throw new Error(r.error);
    expect(r.handoff).toMatchObject({
      mode: "plan",
      maestroRefs: { missionId: "2026_04_17_001", featureId: "auth_plan", milestoneId: "plan" },
      decisions: ["use_jwt", "keep_sessions_stateless"],
      planPaths: ["plan_md"],
      cs: { work: 0.85, summary: 0.7 },
      nextAction: "review_plan-then_approve",
      boundaryState: [],
      risks: [],
    });
    expect(r.handoff.blindSpot).toBeUndefined();
  });

  test("the README's one-slot-per-line display (after the 'UKI v5.4 string:' line) is joined back", () => {
    const r = decodeUki(readFileSync(join(FIXTURES, "readme-display.txt"), "utf8"));
    if (!r.ok) throw new Error(r.error);
    expect(encodeUki(r.handoff)).toBe(fixture("readme-execute.uki"));
  });

  test("a paste preamble before the string is skipped", () => {
    const r = decodeUki(`Use the following UKI as the canonical handoff packet.\n\n${fixture("execute-metaphor.uki")}`);
    expect(r.ok && r.handoff.metaphor).toBe("loose_thread");
  });

  test("legacy v5.3 is read as the reference reads it", () => {
    const r = decodeUki(fixture("legacy-v53.uki"));
    if (!r.ok) throw new Error(r.error);
    expect(r.version).toBe("5.3");
    expect(r.handoff).toMatchObject({
      mode: "execute",
      currentState: "done",
      sessionCore: "a",
      decisions: ["k1"],
      artifacts: ["file_a_ts"],
      readMore: ["file_a_ts"],
      touchedFiles: ["file_a_ts"],
      completedWork: ["k1"],
      validation: ["tests_green"],
      cs: { work: 0.8 },
      summary: "Done",
    });
  });

  test("legacy v5.2", () => {
    const s =
      "SESSION_CORE-a|CAUSAL_DRIVERS-NONE|DIVERGENCES-NONE|KEY_DECISIONS-k1|SIGNAL_DELTA-sig|ARTIFACTS-branch_x|EXECUTION_STATE-done|BOUNDARY_STATE-NONE|STANCE_COLLAPSE-none|NEXT_ACTION-ship|CS-summary_0.4|SUMMARY-Done";
    const r = decodeUki(s);
    if (!r.ok) throw new Error(r.error);
    expect(r.version).toBe("5.2");
    expect(r.handoff).toMatchObject({ readMore: ["branch_x"], completedWork: ["sig"], validation: [], cs: { summary: 0.4 } });
  });
});

describe("UKI encoding rules", () => {
  test("empty lists are NONE; confidence is rounded to 2 places, trailing zeros dropped", () => {
    const h = handoff({ cs: { work: 0.955, summary: 1 }, artifacts: ["a"] });
    expect(encodeUki(h)).toContain("|DECISIONS-NONE|");
    expect(encodeUki(h)).toContain("|CS-work_0.95~summary_1|");
    expect(encodeUki(handoff({ cs: { summary: 0.333333 } }))).toContain("|CS-summary_0.33|");
  });

  test("text the reference would refuse is rewritten, never refused, and still decodes", () => {
    const h = handoff({
      summary: `Fixed: the *login* bug | all green ${"x".repeat(200)}`,
      sessionCore: "a_b_c_d_e_f_g_h",
      decisions: ["use-jwt tokens", "split:files"],
      maestroRefs: { missionId: "2026-04-17-001", featureId: "auth-impl" },
    });
    const s = encodeUki(h);
    expect(s).not.toMatch(/[:`*\n]/);
    expect(s).toContain("|DECISIONS-use_jwt tokens-split files|");
    expect(s).toContain("|SESSION_CORE-a_b_c_d_e_f g h|");
    expect(s).toContain("|MAESTRO_REFS-mission_2026_04_17_001-feature_auth_impl|");
    const summary = s.slice(s.indexOf("|SUMMARY-") + 9);
    expect(summary.startsWith("Fixed the login bug all green xxx")).toBe(true);
    expect(summary.length).toBeLessThan(140);
    const r = decodeUki(s);
    if (!r.ok) throw new Error(r.error);
    expect(encodeUki(r.handoff)).toBe(s);
  });

  test("an empty single slot is NONE; a missing confidence is summary_0.5 (the reference's unknown)", () => {
    const h = { ...handoff({}), currentState: "  ", cs: {} };
    const s = encodeUki(h);
    expect(s).toContain("|CURRENT_STATE-NONE|");
    expect(s).toContain("|CS-summary_0.5|");
  });
});

describe("UKI decoding errors", () => {
  test.each([
    ["not UKI at all", "hello", "No UKI string found"],
    ["a slot missing", fixture("readme-create.uki").replace("|RISKS-NONE", ""), "slots"],
    [
      "a slot out of order",
      fixture("readme-create.uki").replace("DECISIONS-NONE|SIGNAL_DELTA-NONE", "SIGNAL_DELTA-NONE|DECISIONS-NONE"),
      "slot 7 should start with DECISIONS-",
    ],
    ["a bad confidence", fixture("readme-create.uki").replace("CS-work_0.9", "CS-high"), "CS slot has an invalid value"],
  ])("%s", (_what, input, message) => {
    const r = decodeUki(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});
