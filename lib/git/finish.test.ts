import { describe, expect, test } from "vitest";
import {
  cleanCommitMessage,
  commitMessageFromReply,
  historyPrLink,
  humaniseBranch,
  parseBranchLog,
  parseLeftRight,
  prText,
} from "./finish";

const c = (subject: string, body = "") => ({ sha: "a".repeat(40), subject, body });

describe("pull request text", () => {
  test.each([
    ["feature/add-login_form", "Add login form"],
    ["fix-typo", "Fix typo"],
    ["x", "X"],
    ["team/--", "team/--"],
  ])("humaniseBranch(%s) = %s", (branch, title) => expect(humaniseBranch(branch)).toBe(title));

  test("one commit gives its subject and body; several the branch name and a list; Auto Run summaries follow", () => {
    expect(prText("feature/login", [c("feat: login", "Body line.")])).toEqual({ title: "feat: login", body: "Body line." });
    expect(prText("feature/login", [c("a"), c("b")], ["Did x.", "  ", "Did\ny."])).toEqual({
      title: "Login",
      body: "- a\n- b\n\nAuto Run:\n- Did x.\n- Did y.",
    });
    expect(prText("feature/login", [])).toEqual({ title: "Login", body: "" });
  });

  test("parseBranchLog reads the RS/US records git prints", () => {
    expect(parseBranchLog(`${"a".repeat(40)}\x1fsubj one\x1fbody\nmore\n\x1e\n${"b".repeat(40)}\x1fsubj two\x1f\x1e\n`)).toEqual([
      c("subj one", "body\nmore"),
      { sha: "b".repeat(40), subject: "subj two", body: "" },
    ]);
  });

  test("parseLeftRight", () => {
    expect(parseLeftRight("3\t5\n")).toEqual({ left: 3, right: 5 });
    expect(parseLeftRight("fatal: bad")).toBeNull();
  });
});

describe("commit messages", () => {
  test("cleanCommitMessage trims the message and each line's end", () => {
    expect(cleanCommitMessage("\r\n  feat: x  \r\n\r\nbody   \n\n")).toBe("feat: x\n\nbody");
  });

  test.each([
    ["feat: add x\n\nBody.", "feat: add x\n\nBody."],
    ["Here is a commit message:\nfix: y\n\nBecause.", "fix: y\n\nBecause."],
    ["Sure.\n\n```text\nchore: z\n\nDetails.\n```\n\nAnything else?", "chore: z\n\nDetails."],
  ])("commitMessageFromReply(%j)", (reply, message) => expect(commitMessageFromReply(reply)).toBe(message));
});

describe("historyPrLink", () => {
  const pr = (success: boolean, summary: string) => historyPrLink({ kind: "git-pr", success, summary });
  test("a pull request or compare page of a successful entry; none for a failure whose reason quotes a URL", () => {
    expect(pr(true, "Pull request for a into main: https://github.com/acme/app/pull/7")).toEqual({
      url: "https://github.com/acme/app/pull/7",
      label: "Open pull request",
    });
    expect(pr(true, "Pushed a; open the pull request into main at https://github.com/acme/app/compare/main...a?expand=1")).toMatchObject({
      label: "Open the compare page",
    });
    expect(pr(false, "Pushed a to origin; no pull request page: see https://docs.github.com/en/get-started for help")).toBeNull();
    expect(historyPrLink({ kind: "turn", success: true, summary: "https://x.example/pull/1" })).toBeNull();
  });
});
