import { describe, expect, it } from "vitest";
import { checkBranchName, MAX_BRANCH_LENGTH, worktreeFolderName } from "./refs";

describe("checkBranchName", () => {
  it.each(["main", "feature/login", "fix-123", "release/v1.2", "a", "ünïcode-ok", "x".repeat(MAX_BRANCH_LENGTH)])("accepts %j", (name) => {
    expect(checkBranchName(name)).toBeNull();
  });

  it.each<[string, RegExp]>([
    ["", /Type a branch name/],
    ["--upload-pack=x", /cannot start with “-”/],
    ["-b", /cannot start with “-”/],
    ["../x", /start with “\.”|“\.\.”/],
    ["a..b", /“\.\.”/],
    ["x".repeat(300), /at most 200 characters \(this one has 300\)/],
    ["a\u0000b", /control/],
    ["a\u0007b", /control/],
    ["a\u007fb", /control/],
    ["a\u0085b", /control/],
    ["a\u202eb", /control or invisible/],
    ["a\u200bb", /control or invisible/],
    ["a\ufeffb", /control or invisible/],
    ["a b", /spaces/],
    ["a\tb", /control/],
    ["a\u00a0b", /spaces/],
    ["a~1", /~ \^/],
    ["a^", /~ \^/],
    ["a:b", /~ \^/],
    ["a?", /~ \^/],
    ["a*", /~ \^/],
    ["a[b", /~ \^/],
    ["a\\b", /~ \^/],
    ["a@{1}", /“@\{”/],
    ["@", /“@” alone/],
    ["/a", /start or end with “\/”/],
    ["a/", /start or end with “\/”/],
    ["a//b", /“\/\/”/],
    [".a", /start with “\.”/],
    ["a/.b", /start with “\.”/],
    ["a.", /end with “\.”/],
    ["a.lock", /“\.lock”/],
    ["a.lock/b", /“\.lock”/],
    ["HEAD", /reserved/],
  ])("refuses %j", (name, message) => {
    expect(checkBranchName(name)).toMatch(message);
  });
});

describe("worktreeFolderName", () => {
  it("turns a nested branch into one path segment", () => {
    expect(worktreeFolderName("feature/login/x")).toBe("feature-login-x");
    expect(worktreeFolderName("plain")).toBe("plain");
  });
});
