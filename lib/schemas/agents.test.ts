import { describe, expect, test } from "vitest";
import { createAgentInput, folderSchema } from "./agents";

describe("folderSchema", () => {
  test.each([
    ["/home/me/project", true],
    ["/", true],
    ["relative/path", false],
    ["./here", false],
    ["/home/me/../etc", false],
    ["/home/me/..", false],
    ["/home/me/..hidden", true],
    ["", false],
    ["/a\0b", false],
  ])("%j valid=%s", (p, ok) => {
    expect(folderSchema.safeParse(p).success).toBe(ok);
  });

  test("errors say what to do", () => {
    const r = folderSchema.safeParse("src/app");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("Use an absolute path (starting with /).");
    const dots = folderSchema.safeParse("/srv/../etc");
    expect(dots.error?.issues[0]?.message).toMatch(/must not contain `\.\.`/);
  });
});

describe("createAgentInput", () => {
  test("defaults to the simulator provider", () => {
    expect(createAgentInput.parse({ name: "a", folder: "/tmp" }).provider).toBe("simulator");
  });
  test("refuses unknown providers and blank names", () => {
    expect(createAgentInput.safeParse({ name: "a", folder: "/tmp", provider: "bash" }).success).toBe(false);
    expect(createAgentInput.safeParse({ name: "  ", folder: "/tmp" }).success).toBe(false);
  });
});
