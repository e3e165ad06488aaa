import { expect, test } from "vitest";
import { BUILTIN_COMMANDS, matchCommands, parseSlash } from "./slash";
import { dateVars, fillTemplate } from "./template";

test.each([
  ["Hi {{AGENT_NAME}} in {{ AGENT_PATH }}", { AGENT_NAME: "api", AGENT_PATH: "/srv" }, "Hi api in /srv"],
  ["{{UNKNOWN}} stays", {}, "{{UNKNOWN}} stays"],
  ["{{lower}} is not a variable", { lower: "x" }, "{{lower}} is not a variable"],
  ["loop {{LOOP_NUMBER}}", { LOOP_NUMBER: 3 }, "loop 3"],
])("fillTemplate(%j)", (t, vars, out) => {
  expect(fillTemplate(t, vars)).toBe(out);
});

test("dateVars", () => {
  expect(dateVars(new Date(2026, 10, 23, 9, 5))).toMatchObject({ DATE: "2026-11-23", TIME: "09:05", YEAR: 2026 });
});

test.each([
  ["/review the auth module", { name: "review", args: "the auth module" }],
  ["/new", { name: "new", args: "" }],
  ["/ns:cmd  x\ny", { name: "ns:cmd", args: "x\ny" }],
  ["not /a command", null],
  ["/", null],
])("parseSlash(%j)", (text, out) => {
  expect(parseSlash(text)).toEqual(out);
});

test("matchCommands puts builtins first", () => {
  const all = [
    ...BUILTIN_COMMANDS,
    { name: "nightly", description: "", source: "user" as const },
    { name: "n", description: "", source: "provider" as const },
  ];
  expect(matchCommands(all, "n").map((c) => c.name)).toEqual(["new", "nightly", "n"]);
});
