// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { testBridge } from "@/test/ui/render";
import { FinishPanel } from "./finish-panel";

const info = (base: string | null) => ({
  isRepo: true,
  branch: "feature/x",
  hasCommits: true,
  base,
  mergeFolder: null,
  aheadOfBase: 0,
  behindBase: 0,
  upstream: null,
  ahead: 0,
  behind: 0,
  dirty: 0,
  remote: { name: "origin", url: "git@example.com:team/app.git", kind: "other" },
  gh: { available: false, authenticated: false, reason: "gh is not installed." },
});

describe("FinishPanel's Create PR", () => {
  test("shown with a remote even when git does not know its default branch; the sheet asks for the target", async () => {
    const bridge = testBridge({
      "finish.info": () => info(null),
      "git.onChange": () => undefined,
      "finish.createPr": (input: { base: string }) => ({
        url: null,
        via: "none",
        reason: "No page.",
        branch: "feature/x",
        base: input.base,
        remote: "origin",
        title: "X",
      }),
    });
    render(<FinishPanel agentId="a1" />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create PR" }));
    const into = await screen.findByRole("textbox", { name: /Into branch/ });
    expect(into).toHaveProperty("value", "");
    await user.click(screen.getByRole("button", { name: /Push and create pull request/ }));
    expect(await screen.findByText(/Type the branch the pull request goes into/)).toBeTruthy();
    expect(bridge.fns["finish.createPr"]).not.toHaveBeenCalled();
    await user.type(into, "develop");
    await user.click(screen.getByRole("button", { name: /Push and create pull request/ }));
    await waitFor(() => expect(bridge.fns["finish.createPr"]).toHaveBeenCalledWith(expect.objectContaining({ base: "develop" })));
  });
});
