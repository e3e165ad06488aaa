import { describe, expect, test } from "vitest";
import { barKeyBytes, controlChar, type BarKey } from "./keys";

describe("controlChar", () => {
  test.each([
    ["c", "\x03"],
    ["C", "\x03"],
    ["a", "\x01"],
    ["z", "\x1a"],
    ["d", "\x04"],
    ["[", "\x1b"],
    ["\\", "\x1c"],
    ["@", "\x00"],
    [" ", "\x00"],
    ["?", "\x7f"],
    ["1", "1"],
    ["ab", "ab"],
  ])("Ctrl+%j → %j", (key, want) => {
    expect(controlChar(key)).toBe(want);
  });
});

describe("barKeyBytes", () => {
  test.each<[BarKey, boolean, string]>([
    ["esc", false, "\x1b"],
    ["tab", false, "\t"],
    ["pipe", false, "|"],
    ["tilde", false, "~"],
    ["slash", false, "/"],
    ["up", false, "\x1b[A"],
    ["down", false, "\x1b[B"],
    ["right", false, "\x1b[C"],
    ["left", false, "\x1b[D"],
    ["up", true, "\x1bOA"],
    ["left", true, "\x1bOD"],
  ])("%s (application cursor %s)", (key, app, want) => {
    expect(barKeyBytes(key, app)).toBe(want);
  });
});
