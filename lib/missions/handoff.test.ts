import { describe, expect, test } from "vitest";
import { HANDOFF_FIELDS, handoffFromReply, normalizeHandoff, referenceContent } from "./handoff";
import { decodeUki, encodeUki } from "./uki";

describe("normalizeHandoff", () => {
  test("required fields are named; mode and current state get the reference's defaults", () => {
    const bad = normalizeHandoff({ mode: "execute" });
    expect(bad).toEqual({
      ok: false,
      errors: [
        "sessionCore: is required.",
        "nextAction: is required.",
        "summary: is required.",
        "cs: give a confidence (work and/or summary, e.g. 0.9).",
      ],
    });
    const good = normalizeHandoff({ sessionCore: "s", summary: "Done", nextAction: "n", cs: 0.8 });
    expect(good.ok && good.handoff).toMatchObject({ mode: "execute", currentState: "execute_in_progress", cs: { work: 0.8 } });
    const plan = normalizeHandoff({ mode: "plan", sessionCore: "s", summary: "Done", nextAction: "n", cs: { summary: 1 } });
    expect(plan.ok && plan.handoff.currentState).toBe("plan_ready");
  });

  test.each([
    [{ mode: "review" }, 'mode: must be plan or execute (got "review").'],
    [{ decisions: [1] }, "decisions: must be a list of text."],
    [{ cs: { work: -1 } }, "cs.work: must be a number, 0 or more."],
    [{ colour: "red" }, 'Unknown handoff field "colour".'],
    [{ maestroRefs: { mission: "x" } }, 'maestroRefs: unknown field "mission".'],
    [{ verificationResults: [{ step: "a" }] }, "verificationResults: must be a list of { step, passed }."],
  ])("%j is refused", (extra, message) => {
    const r = normalizeHandoff({ sessionCore: "s", summary: "Done", nextAction: "n", cs: 1, ...extra });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain(message);
  });

  test("a list may be one string; empty artifacts become touched files or refs, empty readMore the artifacts", () => {
    const r = normalizeHandoff({ sessionCore: "s", summary: "S", nextAction: "n", cs: 1, touchedFiles: "file_a_ts" });
    expect(r.ok && [r.handoff.touchedFiles, r.handoff.artifacts, r.handoff.readMore]).toEqual([
      ["file_a_ts"],
      ["file_a_ts"],
      ["file_a_ts"],
    ]);
    const refs = normalizeHandoff({ sessionCore: "s", summary: "S", nextAction: "n", cs: 1, maestroRefs: { featureId: "auth-impl" } });
    expect(refs.ok && refs.handoff.artifacts).toEqual(["feature_auth_impl"]);
  });

  test("the reference's content object is accepted as is and written back in its key order", () => {
    const content = {
      mode: "execute",
      currentState: "execute_in_progress",
      sessionCore: "execute_auth_flow",
      decisions: [],
      artifacts: ["file_src_auth_ts"],
      readMore: ["file_src_auth_ts"],
      nextAction: "pick_up_auth_impl",
      summary: "Auth_flow_ready-handoff_created-low_risk",
      maestroRefs: {},
      cs: { work: 0.9 },
      signalDelta: [],
      boundaryState: [],
      risks: [],
      causalDrivers: [],
      divergences: [],
      touchedFiles: [],
      completedWork: ["auth_flow_scaffolded"],
      validation: ["build_green"],
    };
    const r = normalizeHandoff(content);
    if (!r.ok) throw new Error(r.errors.join());
    expect(JSON.stringify(referenceContent(r.handoff))).toBe(JSON.stringify(content));
  });

  test("HANDOFF_FIELDS lists every field once", () => {
    expect(new Set(HANDOFF_FIELDS).size).toBe(HANDOFF_FIELDS.length);
    expect(HANDOFF_FIELDS.slice(0, 3)).toEqual(["mode", "currentState", "sessionCore"]);
  });
});

describe("handoffFromReply", () => {
  test("summary from the first paragraph, touched files from git as file_ tokens, a valid UKI", () => {
    const h = handoffFromReply(
      "## Done\n\nAdded the login form\nand its tests.\n\nMore detail here.",
      { key: "auth-impl", title: "Implement auth" },
      ["src/Auth.ts", "test/auth.test.ts"],
    );
    expect(h.summary).toBe("Done");
    expect(h.touchedFiles).toEqual(["file_src_auth_ts", "file_test_auth_test_ts"]);
    expect(h.readMore).toEqual(h.touchedFiles);
    expect(h.completedWork).toEqual(["Implement auth"]);
    expect(normalizeHandoff(h).ok).toBe(true);
    const r = decodeUki(encodeUki(h));
    expect(r.ok && r.handoff.touchedFiles).toEqual(h.touchedFiles);
  });

  test("a long first paragraph is cut to its first sentence; no reply and no files still make a handoff", () => {
    const long = `This worker finished the feature. ${"More words follow here. ".repeat(30)}`;
    expect(handoffFromReply(long, { key: "f", title: "T" }, []).summary).toBe("This worker finished the feature.");
    const empty = handoffFromReply("", { key: "f", title: "T" }, []);
    expect(empty.summary).toBe("T: worker finished");
    expect(empty.artifacts).toEqual(["feature_f"]);
  });
});
