import { describe, expect, test } from "vitest";
import { PERMISSION_MODES } from "../schemas/approvals";
import { agentPermissionMode, PERMISSION_MODE_ORDER, PERMISSION_MODE_TEXT, providerApprovalNote } from "./modes";

describe("agentPermissionMode", () => {
  test.each([
    [{}, "bypass"],
    [{ readOnly: true }, "plan"],
    [{ readOnly: false }, "bypass"],
    [{ permissionMode: "ask" as const, readOnly: true }, "ask"],
    [{ permissionMode: "acceptEdits" as const }, "acceptEdits"],
  ])("%j runs as %s", (settings, mode) => expect(agentPermissionMode(settings)).toBe(mode));
});

test("every mode is offered once, with a label and a hint", () => {
  expect([...PERMISSION_MODE_ORDER].sort()).toEqual([...PERMISSION_MODES].sort());
  expect(PERMISSION_MODE_ORDER.map((m) => PERMISSION_MODE_TEXT[m].label)).toEqual(["Ask me", "Accept edits", "Plan (read-only)", "Bypass"]);
});

describe("providerApprovalNote", () => {
  test("claude asks, and so does the simulator speaking claude (its default dialect)", () => {
    expect(providerApprovalNote("claude").asks).toBe(true);
    expect(providerApprovalNote("simulator").asks).toBe(true);
    expect(providerApprovalNote("simulator", "claude").text).toMatch(/simulator imitates it/);
  });

  test.each([
    ["codex", /codex exec cannot ask.*app-server/],
    ["opencode", /opencode run cannot ask.*rejects every request/],
    ["gemini", /gemini -p cannot ask/],
  ])("%s says plainly that Maestro cannot approve its calls one by one", (provider, detail) => {
    const note = providerApprovalNote(provider);
    expect(note.asks).toBe(false);
    expect(note.text).toMatch(/Maestro cannot approve .*one by one/);
    expect(note.text).toMatch(detail);
    expect(providerApprovalNote("simulator", provider).asks).toBe(false);
  });
});
