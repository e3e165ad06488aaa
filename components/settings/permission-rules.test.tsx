// @vitest-environment happy-dom
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { bridgeError, testBridge } from "@/test/ui/render";
import { PermissionRules } from "./permission-rules";

type Rule = { id: string; agentId: string; rule: string; tool: string; ruleContent: string; createdByLabel: string; createdAt: Date };

function setup(initial: Rule[] = [], opts: { addFails?: string } = {}) {
  let rules = [...initial];
  const bridge = testBridge({
    "approvals.rules": () => rules,
    "approvals.addRule": (input: { agentId: string; rule: string }) => {
      if (opts.addFails) throw bridgeError(opts.addFails, "BAD_REQUEST", { fieldErrors: { rule: opts.addFails } });
      const m = /^(\w+)(?:\((.*)\))?$/.exec(input.rule)!;
      const row = {
        id: `r${rules.length + 1}`,
        agentId: input.agentId,
        rule: input.rule,
        tool: m[1]!,
        ruleContent: m[2] ?? "",
        createdByLabel: "Pixel 7",
        createdAt: new Date("2026-12-07T10:00:00Z"),
      };
      rules = [...rules, row];
      return row;
    },
    "approvals.removeRule": (input: { ruleId: string }) => {
      rules = rules.filter((r) => r.id !== input.ruleId);
      return { id: input.ruleId };
    },
  });
  render(<PermissionRules agentId="a1" />, { wrapper: bridge.Wrapper });
  return { ...bridge, user: userEvent.setup() };
}

const ruleBox = () => screen.getByRole<HTMLInputElement>("textbox", { name: "Add a rule" });

describe("the agent's always-allow rules", () => {
  test("none yet: says how one is made", async () => {
    setup();
    expect(await screen.findByText(/No rules yet/)).toBeTruthy();
  });

  test("lists each rule with who added it; Remove takes it away", async () => {
    const s = setup([
      {
        id: "r1",
        agentId: "a1",
        rule: "Bash(npm test:*)",
        tool: "Bash",
        ruleContent: "npm test:*",
        createdByLabel: "Ana",
        createdAt: new Date("2026-12-06T09:00:00Z"),
      },
    ]);
    const item = await screen.findByRole("listitem", { name: "Bash(npm test:*)" });
    expect(item.textContent).toContain("Ana");
    await s.user.click(within(item).getByRole("button", { name: "Remove Bash(npm test:*)" }));
    expect(s.fns["approvals.removeRule"]).toHaveBeenCalledWith({ ruleId: "r1" });
    expect(await screen.findByText(/No rules yet/)).toBeTruthy();
  });

  test("Enter adds a rule (trimmed) without submitting anything around it", async () => {
    const s = setup();
    await screen.findByText(/No rules yet/);
    await s.user.type(ruleBox(), "  Bash(git status) {Enter}");
    await waitFor(() => expect(s.fns["approvals.addRule"]).toHaveBeenCalledWith({ agentId: "a1", rule: "Bash(git status)" }));
    expect(await screen.findByRole("listitem", { name: "Bash(git status)" })).toBeTruthy();
    expect(ruleBox().value).toBe("");
  });

  test.each([
    ["rm -rf /", "A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*)."],
    ["   ", "Write a rule, like Bash(npm test:*)."],
  ])("%j is refused on the field with the rule schema's words, before any call", async (text, message) => {
    const s = setup();
    await screen.findByText(/No rules yet/);
    await s.user.type(ruleBox(), text);
    await s.user.click(screen.getByRole("button", { name: "Add" }));
    expect(screen.getByText(message)).toBeTruthy();
    expect(ruleBox().getAttribute("aria-invalid")).toBe("true");
    expect(s.fns["approvals.addRule"]).not.toHaveBeenCalled();
    // Typing again clears it.
    await s.user.type(ruleBox(), "x");
    expect(screen.queryByText(message)).toBeNull();
  });

  test("the bridge's refusal lands on the field", async () => {
    const s = setup([], { addFails: "That agent no longer exists." });
    await screen.findByText(/No rules yet/);
    await s.user.type(ruleBox(), "Write");
    await s.user.click(screen.getByRole("button", { name: "Add" }));
    expect(await screen.findByText("That agent no longer exists.")).toBeTruthy();
  });
});
