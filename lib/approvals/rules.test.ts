import { describe, expect, test } from "vitest";
import { ruleSchema } from "../schemas/approvals";
import { commandParts, formatRule, matchRules, parseRule, suggestedRule } from "./rules";

const bash = (command: string) => ({ command, description: "Run it" });

describe("parseRule / formatRule", () => {
  test.each([
    ["Bash(npm test:*)", { tool: "Bash", content: "npm test:*" }],
    ["Write", { tool: "Write", content: "" }],
    ["WebFetch(domain:example.com)", { tool: "WebFetch", content: "domain:example.com" }],
    ["mcp__github__create_issue", { tool: "mcp__github__create_issue", content: "" }],
  ])("%s", (rule, parsed) => {
    expect(parseRule(rule)).toEqual(parsed);
    expect(formatRule(parsed.tool, parsed.content)).toBe(rule);
  });
  test.each(["", "Bash(", "(x)", "1Bash", "Bash(x) y"])("%j is not a rule", (rule) => expect(parseRule(rule)).toBeNull());
  // claude splits --allowedTools on commas and spaces outside brackets: each of these would be two rules.
  test.each([
    "Bash(x) Bash(*)",
    "Bash(ls),Write(*)",
    "Bash(a)(b)",
    "Bash(a))",
    "Bash((a)",
    "Bash(ls\nrm)",
    "Bash(ls\r)",
    "Bash(a\0)",
    "-Bash",
    "Bash (x)",
  ])("%j is not one rule", (rule) => {
    expect(parseRule(rule)).toBeNull();
    expect(ruleSchema.safeParse(rule).success).toBe(false);
  });
  test.each(["Bash(echo (a, b))", "Bash(npm run *)", "Bash(echo a,b)"])("%j is one rule", (rule) => {
    expect(parseRule(rule)).not.toBeNull();
    expect(ruleSchema.safeParse(rule).success).toBe(true);
  });
});

describe("matchRules (the bridge's own check)", () => {
  test.each<[string, string[], string, unknown, string | null]>([
    ["a bare tool allows every call", ["Write"], "Write", { file_path: "/p/a.txt", content: "x" }, "Write"],
    ["another tool's rule does not", ["Write"], "Edit", { file_path: "/p/a.txt" }, null],
    ["exact command", ["Bash(touch hi.txt)"], "Bash", bash("touch hi.txt"), "Bash(touch hi.txt)"],
    ["exact is exact", ["Bash(touch hi.txt)"], "Bash", bash("touch hi.txt other"), null],
    ["legacy prefix", ["Bash(npm test:*)"], "Bash", bash("npm test -- --watch=false"), "Bash(npm test:*)"],
    ["legacy prefix, bare", ["Bash(npm test:*)"], "Bash", bash("npm test"), "Bash(npm test:*)"],
    ["legacy prefix is a word prefix", ["Bash(npm test:*)"], "Bash", bash("npm testing"), null],
    ["prefix does not cover another command", ["Bash(npm test:*)"], "Bash", bash("npm run build"), null],
    ["wildcard form", ["Bash(npm run *)"], "Bash", bash("npm run build"), "Bash(npm run *)"],
    ["compound: every part allowed", ["Bash(touch:*)", "Bash(mkdir:*)"], "Bash", bash("touch a.txt && mkdir d"), "Bash(touch:*)"],
    ["compound: one part not allowed", ["Bash(touch:*)"], "Bash", bash("touch a.txt && rm -f b.txt"), null],
    ["a substitution never matches a content rule", ["Bash(echo:*)"], "Bash", bash("echo $(rm -rf ~)"), null],
    ["a redirection never matches a content rule", ["Bash(echo:*)"], "Bash", bash("echo hi > /etc/passwd"), null],
    ["bare Bash allows anything", ["Bash"], "Bash", bash("rm -rf build"), "Bash"],
    ["domain rule", ["WebFetch(domain:example.com)"], "WebFetch", { url: "https://docs.example.com/a" }, "WebFetch(domain:example.com)"],
    ["domain rule, other host", ["WebFetch(domain:example.com)"], "WebFetch", { url: "https://example.com.evil.io/" }, null],
    ["path glob", ["Edit(/p/src/*)"], "Edit", { file_path: "/p/src/a.ts" }, "Edit(/p/src/*)"],
    ["a path with .. never matches", ["Edit(/p/src/*)"], "Edit", { file_path: "/p/src/../.env" }, null],
    ["a relative path with .. never matches", ["Read(src/*)"], "Read", { file_path: "src/..\\secret" }, null],
    ["no rules", [], "Bash", bash("ls"), null],
    ["garbage rules are ignored", ["not a rule(", "Bash(ls)"], "Bash", bash("ls"), "Bash(ls)"],
  ])("%s", (_name, rules, tool, input, expected) => expect(matchRules(rules, tool, input)).toBe(expected));

  test("commandParts splits on shell operators and refuses what it can't read", () => {
    expect(commandParts("a && b || c; d | e")).toEqual(["a", "b", "c", "d", "e"]);
    expect(commandParts("echo `id`")).toBeNull();
  });
});

describe("suggestedRule", () => {
  test("the first addRules rule of the CLI's suggestions (verified 2.1.330 line)", () => {
    const suggestions = [
      { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch hi.txt" }], behavior: "allow", destination: "localSettings" },
      { type: "addDirectories", directories: ["/tmp/p"], destination: "session" },
      { type: "setMode", mode: "acceptEdits", destination: "session" },
    ];
    expect(suggestedRule("Bash", suggestions)).toBe("Bash(touch hi.txt)");
    expect(
      suggestedRule("Bash", [
        { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "npm run *" }], behavior: "allow", destination: "localSettings" },
      ]),
    ).toBe("Bash(npm run *)");
    // A suggestion that is not one rule (a newline, a bracket closed early) is never offered.
    for (const ruleContent of ["ls\nrm -rf ~", "ls) Bash(*"])
      expect(
        suggestedRule("Bash", [
          { type: "addRules", rules: [{ toolName: "Bash", ruleContent }], behavior: "allow", destination: "session" },
        ]),
      ).toBeUndefined();
  });
  test("no addRules: the whole tool, except Bash and questions", () => {
    expect(suggestedRule("Write", [{ type: "setMode", mode: "acceptEdits", destination: "session" }])).toBe("Write");
    expect(suggestedRule("Bash", [])).toBeUndefined();
    expect(suggestedRule("AskUserQuestion", undefined)).toBeUndefined();
  });
  test("a deny suggestion is not offered", () => {
    expect(
      suggestedRule("Bash", [{ type: "addRules", rules: [{ toolName: "Bash", ruleContent: "rm:*" }], behavior: "deny" }]),
    ).toBeUndefined();
  });
});
