// @vitest-environment happy-dom
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, test, vi } from "vitest";
import { DEFAULT_RUN_OPTIONS, type RunOptions } from "@/lib/autorun/direct-run";
import type { RunConfig } from "@/lib/autorun/run-config";
import { testBridge } from "@/test/ui/render";
import { PlaybookEditor } from "./playbook-editor";
import { RunOptionsFields } from "./run-options";
import { useRunDocuments, type RunRequest } from "./run-sheet";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }), usePathname: () => "/autorun" }));

const DEFAULTS = { prompt: "You are {{AGENT_NAME}}…", variables: ["AGENT_NAME", "DOCUMENT_PATH"] };
const doc = (path: string, halted = false) => ({ path, size: 10, mtimeMs: 1, total: 2, done: 0, halted });

describe("RunOptionsFields, the one set of run options", () => {
  function Harness({ onChange }: { onChange: (o: RunOptions) => void }) {
    const [value, setValue] = useState<RunOptions>(DEFAULT_RUN_OPTIONS);
    return (
      <RunOptionsFields
        value={value}
        onChange={(patch) => {
          const next = { ...value, ...patch };
          setValue(next);
          onChange(next);
        }}
      />
    );
  }

  test("loop, a maximum only while looping, sessions, and the prompt with the built-in one as its placeholder", async () => {
    const bridge = testBridge({ "autorun.defaults": () => DEFAULTS });
    const seen: RunOptions[] = [];
    render(<Harness onChange={(o) => seen.push(o)} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    const max = screen.getByRole("spinbutton", { name: /Max loops/ });
    expect(max).toHaveProperty("disabled", true);
    await user.click(screen.getByRole("checkbox", { name: "Loop" }));
    expect(max).toHaveProperty("disabled", false);
    await user.type(max, "3");
    await user.selectOptions(screen.getByRole("combobox", { name: "Sessions" }), "document");
    await user.click(screen.getByRole("button", { name: "Edit the prompt" }));
    const prompt = await screen.findByRole("textbox", { name: /Prompt template/ });
    await waitFor(() => expect(prompt.getAttribute("placeholder")).toBe(DEFAULTS.prompt));
    await user.type(prompt, "Do it");
    expect(seen.at(-1)).toEqual({ ...DEFAULT_RUN_OPTIONS, loopEnabled: true, maxLoops: 3, taskSelectionMode: "document", prompt: "Do it" });
  });
});

describe("the playbook editor saves what the shared options say", () => {
  test("a new playbook with its document and options", async () => {
    const bridge = testBridge({
      "autorun.defaults": () => DEFAULTS,
      "agents.list": () => [{ id: "a1", name: "Ada" }],
      "documents.list": () => ({ folder: ".maestro/playbooks", exists: true, documents: [doc("plan.md")], runs: [] }),
      "playbooks.create": (input: unknown) => ({ id: "p1", ...(input as object) }),
    });
    render(<PlaybookEditor open onClose={vi.fn()} playbook={null} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Name" }), "Nightly");
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Agent" })).toHaveProperty("value", "a1"));
    await user.type(screen.getByRole("combobox", { name: "Document 1 file" }), "plan.md");
    await user.click(screen.getByRole("checkbox", { name: /Reset on completion/ }));
    await user.click(screen.getByRole("checkbox", { name: "Loop" }));
    await user.click(screen.getByRole("button", { name: "Save playbook" }));
    await waitFor(() =>
      expect(bridge.fns["playbooks.create"]).toHaveBeenCalledWith({
        agentId: "a1",
        name: "Nightly",
        config: { ...DEFAULT_RUN_OPTIONS, loopEnabled: true, documents: [{ filename: "plan.md", resetOnCompletion: true }] },
      }),
    );
  });
});

describe("running documents without a playbook", () => {
  function setup(documents = [doc("a.md"), doc("b.md")], start?: () => unknown) {
    push.mockClear();
    const bridge = testBridge({
      "autorun.defaults": () => DEFAULTS,
      "documents.list": () => ({ folder: ".maestro/playbooks", exists: true, documents, runs: [] }),
      "autorun.start": start ?? ((input: { config: RunConfig }) => ({ id: "run1", config: input.config })),
      "autorun.clearHalt": () => ({ ok: true }),
      "playbooks.create": (input: { name: string }) => ({ id: "p1", name: input.name }),
    });
    function Harness({ request, options }: { request: RunRequest; options: boolean }) {
      const runner = useRunDocuments("a1");
      return (
        <>
          <button type="button" onClick={() => (options ? runner.options(request) : runner.run(request))}>
            go
          </button>
          {runner.sheet}
        </>
      );
    }
    return {
      ...bridge,
      user: userEvent.setup(),
      show: (request: RunRequest, options = true) => render(<Harness request={request} options={options} />, { wrapper: bridge.Wrapper }),
    };
  }

  test("Run starts at once with the defaults and goes to the run's page", async () => {
    const s = setup();
    s.show({ paths: ["a.md"] }, false);
    await s.user.click(screen.getByRole("button", { name: "go" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/autorun/runs/run1"));
    expect(s.fns["autorun.start"]).toHaveBeenCalledWith({
      agentId: "a1",
      config: { ...DEFAULT_RUN_OPTIONS, documents: [{ filename: "a.md", resetOnCompletion: false }] },
    });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  test("the sheet: documents reordered, a reset flag and a loop, then Run with exactly that", async () => {
    const s = setup();
    s.show({ paths: ["b.md", "a.md"] });
    await s.user.click(screen.getByRole("button", { name: "go" }));
    const sheet = await screen.findByRole("dialog", { name: "Run 2 documents" });
    await s.user.click(within(sheet).getByRole("button", { name: "Move a up" }));
    await s.user.click(within(sheet).getByRole("checkbox", { name: "Reset a on completion" }));
    await s.user.click(within(sheet).getByRole("checkbox", { name: "Loop" }));
    await s.user.click(within(sheet).getByRole("button", { name: "Run 2 documents" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/autorun/runs/run1"));
    expect(s.fns["autorun.start"]).toHaveBeenCalledWith({
      agentId: "a1",
      config: {
        ...DEFAULT_RUN_OPTIONS,
        loopEnabled: true,
        documents: [
          { filename: "a.md", resetOnCompletion: true },
          { filename: "b.md", resetOnCompletion: false },
        ],
      },
    });
  });

  test("Save as playbook from the sheet keeps the sheet's configuration", async () => {
    const s = setup();
    s.show({ paths: ["a.md"] });
    await s.user.click(screen.getByRole("button", { name: "go" }));
    const sheet = await screen.findByRole("dialog", { name: "Run a" });
    await s.user.selectOptions(within(sheet).getByRole("combobox", { name: "Sessions" }), "document");
    await s.user.click(within(sheet).getByRole("button", { name: "Save as playbook" }));
    await s.user.type(within(sheet).getByRole("textbox", { name: "Playbook name" }), "Weekly");
    await s.user.click(within(sheet).getByRole("button", { name: "Save playbook" }));
    await waitFor(() =>
      expect(s.fns["playbooks.create"]).toHaveBeenCalledWith({
        agentId: "a1",
        name: "Weekly",
        config: { ...DEFAULT_RUN_OPTIONS, taskSelectionMode: "document", documents: [{ filename: "a.md", resetOnCompletion: false }] },
      }),
    );
    expect(s.fns["autorun.start"]).not.toHaveBeenCalled();
  });

  test("a halted document opens the sheet with the marker and Clear halt; Run waits until it is cleared", async () => {
    let halted = true;
    const s = setup();
    s.fns["documents.list"]!.mockImplementation(() => ({ folder: "f", exists: true, documents: [doc("h.md", halted)], runs: [] }));
    s.fns["autorun.clearHalt"]!.mockImplementation(() => {
      halted = false;
      return { ok: true };
    });
    s.show({ paths: ["h.md"] }, false);
    // The list says which documents are halted: Run reads it from there.
    await waitFor(() =>
      expect(
        s.queryClient
          .getQueryCache()
          .findAll()
          .some((q) => q.state.data && JSON.stringify(q.queryKey).includes("list")),
      ).toBe(true),
    );
    await s.user.click(screen.getByRole("button", { name: "go" }));
    const sheet = await screen.findByRole("dialog", { name: "Run h" });
    expect(within(sheet).getByRole("alert").textContent).toMatch(/halt marker/);
    const run = within(sheet).getByRole("button", { name: "Run" });
    expect(run).toHaveProperty("disabled", true);
    await s.user.click(within(sheet).getByRole("button", { name: "Clear the halt in h" }));
    expect(s.fns["autorun.clearHalt"]).toHaveBeenCalledWith({ agentId: "a1", filename: "h.md" });
    await waitFor(() => expect(run).toHaveProperty("disabled", false));
    expect(s.fns["autorun.start"]).not.toHaveBeenCalled();
  });
});
