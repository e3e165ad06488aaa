import { expect, test } from "vitest";
import { fillTemplate, type TemplateVars } from "./template";

const vars: TemplateVars = {
  AGENT_NAME: "api",
  AGENT_PATH: "/srv/api",
  DOCUMENT_NAME: "plan",
  DOCUMENT_PATH: "/srv/api/.maestro/playbooks/plan.md",
  LOOP_NUMBER: 3,
  GIT_BRANCH: "main",
  DATE: new Date(2026, 10, 23, 9, 5), // a Monday, local time
};

test.each([
  ["{{AGENT_NAME}} at {{ AGENT_PATH }}", "api at /srv/api"],
  ["{{DOCUMENT_NAME}} → {{DOCUMENT_PATH}}", "plan → /srv/api/.maestro/playbooks/plan.md"],
  ["loop {{LOOP_NUMBER}} on {{GIT_BRANCH}}", "loop 3 on main"],
  ["{{DATE}} {{TIME}} | {{DATETIME}}", "2026-11-23 09:05 | 2026-11-23 09:05"],
  ["{{WEEKDAY}} {{YEAR}}-{{MONTH}}-{{DAY}}", "Monday 2026-11-23"],
  ["{{UNKNOWN}} and {{lower}} stay", "{{UNKNOWN}} and {{lower}} stay"],
  ["no variables ✓", "no variables ✓"],
])("fillTemplate(%j)", (text, out) => {
  expect(fillTemplate(text, vars)).toBe(out);
});

test("extra variables: strings, numbers, other dates; an explicit TIME wins over the clock", () => {
  const out = fillTemplate("{{TICKET}} {{ATTEMPT}} {{DEADLINE}} {{TIME}}", {
    ...vars,
    TICKET: "MAE-7",
    ATTEMPT: 2,
    DEADLINE: new Date(2027, 0, 2),
    TIME: "noon",
  });
  expect(out).toBe("MAE-7 2 2027-01-02 noon");
});

test("TIMESTAMP is the DATE's epoch milliseconds", () => {
  expect(fillTemplate("{{TIMESTAMP}}", vars)).toBe(String(vars.DATE.getTime()));
});
