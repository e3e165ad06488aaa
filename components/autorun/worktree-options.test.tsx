// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { DEFAULT_RUN_OPTIONS } from "@/lib/autorun/direct-run";
import { testBridge } from "@/test/ui/render";
import { PlaybookEditor, type Playbook } from "./playbook-editor";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }), usePathname: () => "/autorun" }));

const DEFAULTS = { prompt: "You are {{AGENT_NAME}}…", variables: ["AGENT_NAME"] };
const REPO = { isRepo: true, mainRepo: "/src/app", currentBranch: "main", baseFolder: "/src/app-worktrees", setupScript: null };

function bridgeWith(info: unknown) {
  return testBridge({
    "autorun.defaults": () => DEFAULTS,
    "agents.list": () => [{ id: "a1", name: "Ada Lovelace" }],
    "documents.list": () => ({ folder: ".maestro/playbooks", exists: true, documents: [], runs: [] }),
    "worktrees.info": () => info,
    "playbooks.create": (input: unknown) => ({ id: "p1", ...(input as object) }),
    "playbooks.update": (input: unknown) => ({ id: "p1", ...(input as object) }),
  });
}

describe("Run in a new worktree, in the playbook editor", () => {
  test("a branch template with its live preview, Open a pull request and a target branch, saved in desktop's spelling", async () => {
    const bridge = bridgeWith(REPO);
    render(<PlaybookEditor open onClose={vi.fn()} playbook={null} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Name" }), "Nightly Build");
    await user.type(screen.getByRole("combobox", { name: "Document 1 file" }), "plan.md");
    expect(screen.queryByRole("textbox", { name: "Branch name" })).toBeNull();
    await user.click(await screen.findByRole("checkbox", { name: "Run in a new worktree" }));
    const template = screen.getByRole("textbox", { name: "Branch name" });
    expect(template.getAttribute("placeholder")).toBe("autorun/{{PLAYBOOK}}-{{DATE}}");
    await user.type(template, "--upload-pack=x");
    expect((await screen.findByRole("alert")).textContent).toMatch(/cannot start with “-”/);
    await user.clear(template);
    // userEvent reads "{{" as a literal "{": the template is typed as written.
    await user.type(template, "feat/{{{{PLAYBOOK}}-{{{{AGENT_NAME}}");
    expect(screen.getByText("feat/nightly-build-ada-lovelace")).toBeTruthy();
    await user.click(screen.getByRole("checkbox", { name: "Open a pull request when done" }));
    const target = screen.getByRole("textbox", { name: /Target branch/ });
    await waitFor(() => expect(target.getAttribute("placeholder")).toBe("main"));
    await user.type(target, "dev");
    await user.click(screen.getByRole("button", { name: "Save playbook" }));
    await waitFor(() =>
      expect(bridge.fns["playbooks.create"]).toHaveBeenCalledWith({
        agentId: "a1",
        name: "Nightly Build",
        config: {
          ...DEFAULT_RUN_OPTIONS,
          documents: [{ filename: "plan.md", resetOnCompletion: false }],
          worktreeSettings: { branchNameTemplate: "feat/{{PLAYBOOK}}-{{AGENT_NAME}}", createPROnCompletion: true, prTargetBranch: "dev" },
        },
      }),
    );
  });

  test("a playbook in our older spelling shows as on and is saved back in desktop's; unticking turns it off", async () => {
    const bridge = bridgeWith(REPO);
    const playbook = {
      id: "p1",
      name: "Old",
      agentId: "a1",
      config: {
        ...DEFAULT_RUN_OPTIONS,
        documents: [{ filename: "plan.md", resetOnCompletion: false }],
        worktreeSettings: { enabled: true, branchName: "old/{{DATE}}", createPR: true },
      },
    } as unknown as Playbook;
    const { unmount } = render(<PlaybookEditor open onClose={vi.fn()} playbook={playbook} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    expect(screen.getByRole("checkbox", { name: "Run in a new worktree" })).toHaveProperty("checked", true);
    expect(screen.getByRole("textbox", { name: "Branch name" })).toHaveProperty("value", "old/{{DATE}}");
    expect(screen.getByRole("checkbox", { name: "Open a pull request when done" })).toHaveProperty("checked", true);
    await user.type(screen.getByRole("textbox", { name: /Target branch/ }), "main");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() =>
      expect(bridge.fns["playbooks.update"]).toHaveBeenLastCalledWith(
        expect.objectContaining({
          config: expect.objectContaining({
            worktreeSettings: { branchNameTemplate: "old/{{DATE}}", createPROnCompletion: true, prTargetBranch: "main" },
          }),
        }),
      ),
    );
    unmount();

    render(<PlaybookEditor open onClose={vi.fn()} playbook={playbook} />, { wrapper: bridge.Wrapper });
    await user.click(screen.getByRole("checkbox", { name: "Run in a new worktree" }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() =>
      expect(bridge.fns["playbooks.update"]).toHaveBeenLastCalledWith(
        expect.objectContaining({ config: expect.objectContaining({ worktreeSettings: null }) }),
      ),
    );
  });

  test("an agent outside a git repository cannot turn it on, and is told why", async () => {
    const bridge = bridgeWith({ isRepo: false });
    render(<PlaybookEditor open onClose={vi.fn()} playbook={null} />, { wrapper: bridge.Wrapper });
    const box = await screen.findByRole("checkbox", { name: "Run in a new worktree" });
    await waitFor(() => expect(box).toHaveProperty("disabled", true));
    expect(screen.getByText(/not a git repository/)).toBeTruthy();
  });
});
