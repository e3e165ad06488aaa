import { describe, expect, test } from "vitest";
import { assertionKeyOf, checkpointId, handoffId, missionRefId, parseAssertionRefId } from "./ids";

const at = new Date(2026, 3, 17, 14, 25, 1, 87); // local time, as the reference reads it

describe("reference ids", () => {
  test("missions and handoffs: local date and the next sequence of that date", () => {
    expect(missionRefId("Add auth", at)).toBe("2026-04-17-001");
    expect(missionRefId("Add auth", at, ["2026-04-17-001", "2026-04-17-007", "2026-04-16-020", "junk"])).toBe("2026-04-17-008");
    expect(handoffId(at, ["2026-04-17-009"])).toBe("2026-04-17-010");
  });

  test("checkpoints: YYYYMMDD-HHmmss-SSS", () => {
    expect(checkpointId(at)).toBe("20260417-142501-087");
  });

  test("assertions are named by the fulfills string or the reference's <feature>-assertion-<n>", () => {
    const features = [{ key: "auth-impl", fulfills: ["auth-login-works", "auth-logout-works"] }];
    expect(parseAssertionRefId("auth-impl-assertion-2")).toEqual({ featureKey: "auth-impl", n: 2 });
    expect(assertionKeyOf(features, "auth-login-works")).toBe("auth-login-works");
    expect(assertionKeyOf(features, "auth-impl-assertion-2")).toBe("auth-logout-works");
    expect(assertionKeyOf(features, "auth-impl-assertion-3")).toBeNull();
    expect(assertionKeyOf(features, "nope")).toBeNull();
  });
});
