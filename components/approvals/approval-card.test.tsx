// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { ApprovalAnswerInput } from "@/lib/schemas/approvals";
import type { ApprovalState } from "@/lib/transcript/model";
import "@/test/ui/render";
import { ApprovalActionsContext, ApprovalQueueContext } from "./approval-context";
import { ApprovalCard } from "./approval-card";

const base: ApprovalState = {
  approvalId: "a1",
  toolUseId: "toolu_1",
  toolName: "Bash",
  kind: "tool",
  input: { command: "rm -rf build", description: "Clean" },
  suggestedRule: "Bash(rm -rf build)",
  noAlwaysAllow: false,
  expiresAt: "2026-12-07T10:30:00Z",
  askedAt: "2026-12-07T10:00:00Z",
  decision: null,
};

function setup(approval: Partial<ApprovalState> = {}, o: { canAnswer?: boolean; queue?: string[]; fail?: string } = {}) {
  const sent: ApprovalAnswerInput[] = [];
  const answer = vi.fn(async (input: ApprovalAnswerInput) => {
    sent.push(input);
    if (o.fail) throw new Error(o.fail);
  });
  const a = { ...base, ...approval };
  render(
    <ApprovalActionsContext value={{ answer, canAnswer: o.canAnswer ?? true, canKeepRules: true, who: "Claude" }}>
      <ApprovalQueueContext value={o.queue ?? [a.approvalId]}>
        <ApprovalCard approval={a} />
      </ApprovalQueueContext>
    </ApprovalActionsContext>,
  );
  return { sent, user: userEvent.setup() };
}

describe("ApprovalCard", () => {
  test("shows the command; Allow once answers allow", async () => {
    const { sent, user } = setup();
    expect(screen.getByRole("heading", { name: "Claude wants to run:" })).toBeTruthy();
    expect(screen.getByText("rm -rf build")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Allow once" }));
    expect(sent).toEqual([{ approvalId: "a1", decision: "allow" }]);
  });

  test("Deny asks for an optional reason, which goes with the answer", async () => {
    const { sent, user } = setup();
    await user.click(screen.getByRole("button", { name: "Deny" }));
    await user.type(screen.getByLabelText(/Reason/), "use the staging folder");
    await user.click(screen.getByRole("button", { name: "Deny" }));
    expect(sent).toEqual([{ approvalId: "a1", decision: "deny", message: "use the staging folder" }]);
  });

  test("Always allow… edits the suggested rule, refuses a malformed one, then answers always", async () => {
    const { sent, user } = setup();
    await user.click(screen.getByRole("button", { name: "Always allow…" }));
    const field = screen.getByLabelText("Rule");
    expect((field as HTMLInputElement).value).toBe("Bash(rm -rf build)");
    await user.clear(field);
    await user.type(field, "Bash(rm:*");
    await user.click(screen.getByRole("button", { name: "Always allow" }));
    expect(screen.getByRole("alert").textContent).toMatch(/A rule is a tool name/);
    expect(sent).toEqual([]);
    await user.clear(field);
    await user.type(field, "Bash(rm:*)");
    await user.click(screen.getByRole("button", { name: "Always allow" }));
    expect(sent).toEqual([{ approvalId: "a1", decision: "always", rule: "Bash(rm:*)" }]);
  });

  test("no Always when the CLI asks not to offer it", () => {
    setup({ noAlwaysAllow: true });
    expect(screen.queryByRole("button", { name: "Always allow…" })).toBeNull();
  });

  test("a command is shown whole: what follows a run of spaces is on the card", () => {
    const command = `touch a${" ".repeat(400)}; rm -rf ~`;
    setup({ input: { command } });
    expect(screen.getByLabelText("Command").textContent).toBe(command);
    expect(screen.queryByText(/scroll the box/)).toBeNull();
  });

  test("a very long command says so, and is still whole", () => {
    const command = `echo ${"x".repeat(3000)} && rm -rf ~`;
    setup({ input: { command } });
    expect(screen.getByLabelText("Command").textContent).toBe(command);
    expect(screen.getByText(/A long command .*scroll the box to read all of it/)).toBeTruthy();
  });

  test("a command the bridge shortened says how much is not shown", () => {
    setup({ input: { command: `${"y".repeat(8192)}… (4000 more characters)` } });
    expect(screen.getByText(/Shortened: the last 4000 characters of this command are not shown/)).toBeTruthy();
    expect(screen.queryByText(/scroll the box/)).toBeNull();
  });

  test("the CLI's reason and the outcome are cleaned of escapes and bidi tricks", () => {
    setup({ reason: "Needs\u001b[31m approval\u202e", input: { command: "ls\u2066" } });
    expect(screen.getByText("Needs approval⟪U+202E⟫")).toBeTruthy();
    expect(screen.getByLabelText("Command").textContent).toBe("ls⟪U+2066⟫");
  });

  test("a decision's message is cleaned too", () => {
    setup({ decision: { status: "denied", by: "Pix\u0007el", message: "no\u202e", at: "2026-12-07T10:01:00Z" } });
    expect(screen.getByRole("status").textContent).toBe("Denied by Pixel: no⟪U+202E⟫");
  });

  test("a view share only watches", () => {
    setup({}, { canAnswer: false });
    expect(screen.queryByRole("button", { name: "Allow once" })).toBeNull();
    expect(screen.getByText("Waiting for the owner to answer.")).toBeTruthy();
  });

  test("outside a conversation (a run page's live view) it points to the conversation", () => {
    render(<ApprovalCard approval={base} />);
    expect(screen.getByText("Answer it in the agent's conversation.")).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
  });

  test("the second request in line waits for the first", () => {
    setup({}, { queue: ["a0", "a1"] });
    expect(screen.queryByRole("button", { name: "Allow once" })).toBeNull();
    expect(screen.getByText(/Answer the request above first/)).toBeTruthy();
  });

  test("a refused answer shows the server's message", async () => {
    const { user } = setup({}, { fail: "Someone already answered this request." });
    await user.click(screen.getByRole("button", { name: "Allow once" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Someone already answered this request.");
  });

  test("after a decision: the outcome and who", () => {
    setup({ decision: { status: "denied", by: "Pixel 8", message: "not now", at: "" } });
    expect(screen.getByRole("status").textContent).toBe("Denied by Pixel 8: not now");
    expect(screen.queryByRole("button")).toBeNull();
  });

  test("a Write shows the path and the content; an Edit the diff", () => {
    setup({ toolName: "Edit", input: { file_path: "/p/a.md", old_string: "- [ ] one", new_string: "- [x] one" } });
    expect(screen.getByRole("heading", { name: "Claude wants to edit:" })).toBeTruthy();
    expect(screen.getByText("/p/a.md")).toBeTruthy();
    expect(screen.getByLabelText("Change").textContent).toContain("removed: - [ ] one");
  });
});

describe("QuestionCard", () => {
  const question = {
    kind: "question" as const,
    toolName: "AskUserQuestion",
    input: {
      questions: [
        { question: "Which colour?", header: "Colour", options: [{ label: "Red" }, { label: "Blue" }], multiSelect: false },
        { question: "Which sizes?", options: [{ label: "S" }, { label: "M" }, { label: "L" }], multiSelect: true },
      ],
    },
  };

  test("sends only when every question is answered; multi-select joins with commas; Other is free text", async () => {
    const { sent, user } = setup(question);
    const submit = screen.getByRole("button", { name: "Send answer" });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("radio", { name: /Blue/ }));
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("checkbox", { name: /^S/ }));
    await user.click(screen.getByRole("checkbox", { name: /^L/ }));
    await user.type(screen.getByLabelText("Other answer to: Which sizes?"), "XL");
    await user.click(submit);
    expect(sent).toEqual([{ approvalId: "a1", decision: "allow", answers: { "Which colour?": "Blue", "Which sizes?": "S, L, XL" } }]);
  });

  test("Dismiss denies", async () => {
    const { sent, user } = setup(question);
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(sent).toEqual([{ approvalId: "a1", decision: "deny", message: "The user dismissed the question." }]);
  });
});
