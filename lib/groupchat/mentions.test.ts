import { describe, expect, test } from "vitest";
import {
  classifyModeratorReply,
  extractAutorunCommands,
  extractMentions,
  isFinalAnswer,
  mentionName,
  withoutFinalMarker,
} from "./mentions";

const NAMES = ["Ann", "Bob", "Code Reviewer", "example"];

describe("mentionName", () => {
  test("spaces (runs of whitespace) become hyphens; the ends are trimmed", () => {
    expect(mentionName("Code Reviewer")).toBe("Code-Reviewer");
    expect(mentionName("  Big   Model\tTwo ")).toBe("Big-Model-Two");
    expect(mentionName("Ann")).toBe("Ann");
  });
});

describe("extractMentions", () => {
  test.each([
    ["a name with a hyphen (spaces written as hyphens)", "@Code-Reviewer please look", ["Code-Reviewer"]],
    ["case does not matter; the canonical name is returned", "@code-reviewer and @ANN", ["Code-Reviewer", "Ann"]],
    ["punctuation ends a name", "@Ann, @Bob: and (@Code-Reviewer).", ["Ann", "Bob", "Code-Reviewer"]],
    ["a sentence's full stop is not part of the name", "Over to @Bob.", ["Bob"]],
    ["! ? ; and quotes end a name too", "@Ann! @Bob? '@Code-Reviewer'; ", ["Ann", "Bob", "Code-Reviewer"]],
    ["each once, in order of first mention", "@Bob then @Ann then @Bob again", ["Bob", "Ann"]],
    ["an e-mail address is no mention", "write to bob@example.com or ann@Bob", []],
    ["unknown names are ignored", "@Zed and @Annie and @Ann", ["Ann"]],
    ["a name with spaces written with spaces is not that name", "@Code Reviewer", []],
    ["an @ alone is nothing", "@ Ann", []],
    ["code spans hold examples, not mentions", "write `@Ann` to ask Ann; @Bob", ["Bob"]],
    ["fenced blocks too", "```\n@Ann do it\n```\n@Bob", ["Bob"]],
    ["a mention at the very start and end", "@Ann\n@Bob", ["Ann", "Bob"]],
  ])("%s", (_, text, expected) => {
    expect(extractMentions(text, NAMES)).toEqual(expected);
  });
});

describe("extractAutorunCommands", () => {
  test("a line `!autorun @Name` or `!autorun @Name:doc.md`, for known participants only", () => {
    const text = "Starting work.\n!autorun @Ann:plan.md\n  !autorun @code-reviewer\n!autorun @Zed:x.md\nsee !autorun @Bob inline";
    expect(extractAutorunCommands(text, NAMES)).toEqual([
      { name: "Ann", document: "plan.md" },
      { name: "Code-Reviewer", document: null },
    ]);
  });

  test("a document must be a .md file; inside code it is an example", () => {
    expect(extractAutorunCommands("!autorun @Ann:plan.txt", NAMES)).toEqual([]);
    expect(extractAutorunCommands("```\n!autorun @Ann\n```", NAMES)).toEqual([]);
  });
});

describe("the final marker", () => {
  test("counts only alone on a line (any case, spaces around), and is removed for the reader", () => {
    expect(isFinalAnswer("The answer is 42.\n[final]")).toBe(true);
    expect(isFinalAnswer("The answer.\n  [FINAL]  \n")).toBe(true);
    expect(isFinalAnswer("I will say [final] later")).toBe(false);
    expect(withoutFinalMarker("The answer is 42.\n\n[final]\n")).toBe("The answer is 42.");
  });
});

describe("classifyModeratorReply", () => {
  test("mentions delegate (even with the marker); the autorun line is not also a request", () => {
    expect(classifyModeratorReply("@Ann and @Bob, please check.", NAMES)).toEqual({
      kind: "delegation",
      mentions: ["Ann", "Bob"],
      autorun: [],
    });
    expect(classifyModeratorReply("@Bob check\n[final]", NAMES).kind).toBe("delegation");
    expect(classifyModeratorReply("!autorun @Ann:plan.md\n@Bob review it", NAMES)).toEqual({
      kind: "delegation",
      mentions: ["Bob"],
      autorun: [{ name: "Ann", document: "plan.md" }],
    });
  });

  test("only an autorun line: autorun; the marker alone: final; neither: a lost delegation", () => {
    expect(classifyModeratorReply("!autorun @Ann\n[final]", NAMES)).toEqual({
      kind: "autorun",
      mentions: [],
      autorun: [{ name: "Ann", document: null }],
    });
    expect(classifyModeratorReply("It is 42.\n[final]", NAMES).kind).toBe("final");
    expect(classifyModeratorReply("I will ask Ann and Bob to look into it.", NAMES).kind).toBe("lost");
    // A mention of someone who is not a participant does not count.
    expect(classifyModeratorReply("@Zed please look.", NAMES).kind).toBe("lost");
  });
});
