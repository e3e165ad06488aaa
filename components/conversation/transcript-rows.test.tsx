// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { ErrorItem, ToolItem, Turn } from "@/lib/transcript/build";
import "@/test/ui/render";
import { ErrorCard } from "./transcript-error-card";
import { AssistantText, PromptBubble, RawRow, ThinkingRow, ToolRow } from "./transcript-rows";
import { TurnFooter } from "./turn-footer";

const tool = (over: Partial<ToolItem> = {}): ToolItem => ({
  kind: "tool",
  key: "k1",
  id: "tool-1",
  name: "Bash",
  input: { command: "npm test" },
  status: "completed",
  output: "12 passed",
  isError: false,
  ...over,
});

const turn = (over: Partial<Turn> = {}): Turn => ({
  id: "t1",
  key: "e1",
  prompt: "hello",
  images: 0,
  startedAt: "2026-12-06T10:00:00Z",
  endedAt: "2026-12-06T10:00:05Z",
  status: "done",
  items: [],
  usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.0123 },
  durationMs: 5000,
  error: null,
  filesChanged: null,
  model: "sonnet",
  contextWindow: null,
  toolIndex: new Map(),
  ...over,
});

describe("a tool row", () => {
  test.each([
    ["completed", "completed"],
    ["failed", "failed"],
    ["running", "running"],
    ["interrupted", "no result"],
  ] as const)("is named by what it shows, the tool and its input, and says it is %s", (status, said) => {
    render(<ToolRow item={tool({ status })} />);
    // The whole name, in the order shown: speech control users say what they see.
    // (happy-dom's name computation puts a space before the visually hidden status; Chromium does not)
    expect(screen.getByRole("button", { name: new RegExp(`^Bash npm test ?, ${said}$`) })).toBeTruthy();
  });

  test("opens to show the input and the output", async () => {
    render(<ToolRow item={tool()} />);
    const row = screen.getByRole("button", { name: /^Bash / });
    expect(row.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByText("12 passed")).toBeNull();
    await userEvent.setup().click(row);
    expect(row.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByText("Output")).toBeTruthy();
    expect(screen.getByText("12 passed")).toBeTruthy();
    expect(screen.getByText(/npm test/, { selector: "pre" })).toBeTruthy();
  });

  test("a failed tool shows its first error line before it is opened, and says Error when open", async () => {
    render(<ToolRow item={tool({ status: "failed", isError: true, output: "\nENOENT: no such file\nat x" })} />);
    expect(screen.getByText("ENOENT: no such file")).toBeTruthy();
    await userEvent.setup().click(screen.getByRole("button", { name: /^Bash / }));
    expect(screen.getByText("Error")).toBeTruthy();
  });

  test("a running tool has no result yet", async () => {
    render(<ToolRow item={tool({ status: "running", output: null })} />);
    await userEvent.setup().click(screen.getByRole("button", { name: /^Bash / }));
    expect(screen.getByText("Waiting for the result…")).toBeTruthy();
  });
});

describe("the other rows", () => {
  test("the prompt, with its images; a pending one says Sending…", () => {
    render(<PromptBubble turn={{ prompt: "fix it", images: 2, startedAt: "2026-12-06T10:00:00Z" }} pending />);
    expect(screen.getByText("fix it")).toBeTruthy();
    expect(screen.getByText("2 images")).toBeTruthy();
    expect(screen.getByText("Sending…")).toBeTruthy();
  });

  test("a long prompt folds, with Show all", async () => {
    render(<PromptBubble turn={{ prompt: "x\n".repeat(20), images: 0, startedAt: "2026-12-06T10:00:00Z" }} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Show all" }));
    expect(screen.getByRole("button", { name: "Show less" })).toBeTruthy();
  });

  test("the reply", async () => {
    render(<AssistantText item={{ kind: "text", key: "x", text: "All tests pass." }} />);
    expect((await screen.findByRole("article", { name: "Assistant reply" })).textContent).toContain("All tests pass.");
  });

  test("thinking is folded until asked", async () => {
    render(<ThinkingRow item={{ kind: "thinking", key: "x", text: "Maybe the cache." }} />);
    const button = screen.getByRole("button", { name: /Thinking/ });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    await userEvent.setup().click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
  });

  test("unparsed output counts its lines", () => {
    render(<RawRow item={{ kind: "raw", key: "x", lines: ["{", "oops"] }} />);
    expect(screen.getByRole("button").textContent).toBe("Unparsed output(2 lines)");
  });
});

describe("errors and the footer", () => {
  const err = (over: Partial<ErrorItem>): ErrorItem => ({
    kind: "error",
    key: "x",
    message: "You hit the limit.",
    errorKind: "rate_limit",
    fatal: true,
    ...over,
  });

  test("a fatal error says what happened and what to do", () => {
    render(<ErrorCard item={err({})} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Usage limit reached");
    expect(alert.textContent).toContain("You hit the limit.");
    expect(alert.textContent).toContain("Send again once the limit resets.");
  });

  test("a non-fatal one is a warning", () => {
    render(<ErrorCard item={err({ fatal: false, message: "Retrying." })} />);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByText("Warning:")).toBeTruthy();
  });

  test.each([
    ["done", "Done"],
    ["error", "Failed"],
    ["stopped", "Stopped"],
  ] as const)("a %s turn's footer says %s, with its figures", (status, label) => {
    render(<TurnFooter turn={turn({ status })} />);
    expect(screen.getByText(label)).toBeTruthy();
    expect(screen.getByText(/in \/ .* out/)).toBeTruthy();
    expect(screen.getByText("sonnet")).toBeTruthy();
  });

  test("a failed turn without an error row shows its error; a running one shows it is working", () => {
    const { unmount } = render(<TurnFooter turn={turn({ status: "error", error: "The CLI crashed." })} />);
    expect(screen.getByRole("alert").textContent).toContain("The CLI crashed.");
    unmount();
    render(<TurnFooter turn={turn({ status: "running", durationMs: null, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } })} />);
    expect(screen.getByTitle("Working")).toBeTruthy();
  });

  test("a finished turn that changed files links to them; one with no record or no change does not", () => {
    const { unmount } = render(<TurnFooter turn={turn({ filesChanged: 3 })} />);
    expect(screen.getByRole("button", { name: "3 files changed" })).toBeTruthy();
    unmount();
    const one = render(<TurnFooter turn={turn({ filesChanged: 1 })} />);
    expect(screen.getByRole("button", { name: "1 file changed" })).toBeTruthy();
    one.unmount();
    for (const filesChanged of [0, null]) {
      const r = render(<TurnFooter turn={turn({ filesChanged })} />);
      expect(screen.queryByRole("button", { name: /changed/ })).toBeNull();
      r.unmount();
    }
    render(<TurnFooter turn={turn({ status: "running", filesChanged: 2 })} />);
    expect(screen.queryByRole("button", { name: /changed/ })).toBeNull();
  });
});
