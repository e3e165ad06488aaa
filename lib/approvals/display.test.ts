import { describe, expect, test } from "vitest";
import { displaySafe, displaySafeDeep } from "./display";

describe("displaySafe", () => {
  test("terminal escapes and control characters go; line breaks and tabs stay", () => {
    expect(displaySafe("\u001b[31mred\u001b[0m ok")).toBe("red ok");
    expect(displaySafe("a\u001b]0;title\u0007b")).toBe("ab");
    expect(displaySafe("rm -rf ~\u001b[2K\u001b[1Gls")).toBe("rm -rf ~ls");
    expect(displaySafe("a\u0000b\u0008c\u007fd\u0085e\u009b2Jf")).toBe("abcdef");
    expect(displaySafe("one\r\ntwo\rthree\n\tfour")).toBe("one\ntwo\nthree\n\tfour");
  });

  test("bidi controls become visible markers", () => {
    expect(displaySafe("ls \u202e~ fr- mr\u202c")).toBe("ls ⟪U+202E⟫~ fr- mr⟪U+202C⟫");
    expect(displaySafe("\u2066a\u2069\u200e\u200f\u061c")).toBe("⟪U+2066⟫a⟪U+2069⟫⟪U+200E⟫⟪U+200F⟫⟪U+061C⟫");
  });

  test("plain text, including other scripts and emoji, is unchanged", () => {
    const s = 'git commit -m "fix: ünïcode — 日本語 ✓ 🚀"\n\tnext';
    expect(displaySafe(s)).toBe(s);
  });

  test("deep: strings and keys of nested values", () => {
    expect(displaySafeDeep({ "k\u202e": ["\u001b[1mx", 3, null, { y: "\u0007z" }] })).toEqual({ "k⟪U+202E⟫": ["x", 3, null, { y: "z" }] });
  });
});
