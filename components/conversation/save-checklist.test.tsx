// @vitest-environment happy-dom
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { checklistFromReply } from "@/lib/autorun/from-reply";
import { bridgeError, testBridge } from "@/test/ui/render";
import { SaveChecklistDialog } from "./save-checklist";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }), usePathname: () => "/agents/a1" }));

const checklist = checklistFromReply("Plan:\n\n## Site\n\n- [ ] one\n- [ ] two\n  - [ ] two and a half\n")!;

function setup(taken: string[] = []) {
  const written: { path: string; content: string; overwrite?: boolean }[] = [];
  const bridge = testBridge({
    "documents.list": () => ({ folder: ".maestro/playbooks", exists: true, documents: [], runs: [] }),
    "documents.saveAs": (input: { path: string; content: string; overwrite?: boolean }) => {
      if (taken.includes(input.path) && !input.overwrite) throw bridgeError(`“${input.path}” already exists.`, "CONFLICT");
      written.push(input);
      return { path: input.path, content: input.content, version: "v", size: 1, mtimeMs: 1, replaced: taken.includes(input.path) };
    },
    "autorun.start": () => ({ id: "run1" }),
  });
  render(<SaveChecklistDialog agentId="a1" checklist={checklist} suggested="site" open onClose={vi.fn()} />, { wrapper: bridge.Wrapper });
  return { ...bridge, written, user: userEvent.setup(), dialog: screen.getByRole("dialog", { name: "Save as Auto Run document" }) };
}

describe("Save as Auto Run document", () => {
  test("shows the tasks it found and saves them under the suggested name; then Run now starts that document", async () => {
    const s = setup();
    expect(within(s.dialog).getByTestId("found-count").textContent).toBe("3 tasks found");
    expect(
      within(s.dialog)
        .getAllByRole("checkbox")
        .map((c) => c.getAttribute("aria-label")),
    ).toEqual(["one", "two", "two and a half"]);
    await s.user.click(within(s.dialog).getByRole("button", { name: "Save" }));
    await within(s.dialog).findByRole("status");
    expect(s.written).toEqual([{ agentId: "a1", path: "site.md", content: checklist.markdown }]);
    expect(within(s.dialog).getByRole("link", { name: "Open site" }).getAttribute("href")).toBe("/autorun?agent=a1&doc=site.md");
    await s.user.click(within(s.dialog).getByRole("button", { name: "Run now" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/autorun/runs/run1"));
    expect(s.fns["autorun.start"]).toHaveBeenCalledWith({
      agentId: "a1",
      config: expect.objectContaining({ documents: [{ filename: "site.md", resetOnCompletion: false }] }),
    });
  });

  test("a bad name is refused before anything is sent", async () => {
    const s = setup();
    const name = within(s.dialog).getByRole("combobox", { name: "Document" });
    await s.user.clear(name);
    await s.user.type(name, "../up");
    await s.user.click(within(s.dialog).getByRole("button", { name: "Save" }));
    expect(within(s.dialog).getByText(/Names cannot use “\.\.”/)).toBeTruthy();
    expect(s.fns["documents.saveAs"]).not.toHaveBeenCalled();
  });

  test("a taken name asks first: keeping it goes back to the name, replacing sends overwrite", async () => {
    const s = setup(["site.md"]);
    await s.user.click(within(s.dialog).getByRole("button", { name: "Save" }));
    await within(s.dialog).findByText("“site.md” already exists.");
    expect(s.written).toEqual([]);
    await s.user.click(within(s.dialog).getByRole("button", { name: "Keep it, pick another name" }));
    expect(within(s.dialog).getByRole("combobox", { name: "Document" })).toHaveProperty("value", "site");
    await s.user.click(within(s.dialog).getByRole("button", { name: "Save" }));
    await s.user.click(await within(s.dialog).findByRole("button", { name: "Replace" }));
    await waitFor(() => expect(s.written).toEqual([{ agentId: "a1", path: "site.md", content: checklist.markdown, overwrite: true }]));
    expect((await within(s.dialog).findByRole("status")).textContent).toMatch(/Replaced site\.md/);
  });
});
