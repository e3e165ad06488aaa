// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { AgentSettings } from "@/lib/schemas/agent-settings";
import { bridgeError, testBridge } from "@/test/ui/render";
import { TabPermissionModeSheet, tabPermissionMenuItem, type PermissionTab } from "./tab-permission-mode";

const tab: PermissionTab = { id: "t1", name: "Refactor", permissionMode: null };

async function setup(opts: { tab?: PermissionTab; settings?: AgentSettings; provider?: string; fail?: boolean } = {}) {
  const bridge = testBridge({
    "agents.settings": () => opts.settings ?? { permissionMode: "ask" },
    "tabs.setPermissionMode": (input: { tabId: string; mode: string | null }) => {
      if (opts.fail) throw bridgeError("That tab no longer exists.", "NOT_FOUND");
      return { ...tab, permissionMode: input.mode };
    },
    "tabs.list": () => [],
  });
  const onClose = vi.fn();
  render(
    <TabPermissionModeSheet tab={opts.tab ?? tab} agent={{ id: "a1", provider: opts.provider ?? "claude" }} open onClose={onClose} />,
    {
      wrapper: bridge.Wrapper,
    },
  );
  await screen.findByRole("radio", { name: /The agent's mode \(/ });
  return { ...bridge, onClose, user: userEvent.setup() };
}

describe("a tab's permission mode", () => {
  test("without an override the agent's mode is picked, and named", async () => {
    await setup({ settings: { readOnly: true } });
    const agentChoice = screen.getByRole<HTMLInputElement>("radio", { name: /The agent's mode \(Plan \(read-only\)\)/ });
    expect(agentChoice.checked).toBe(true);
  });

  test("picking a mode saves it for this tab at once and closes", async () => {
    const s = await setup();
    await s.user.click(screen.getByRole("radio", { name: /^Accept edits/ }));
    await waitFor(() => expect(s.onClose).toHaveBeenCalled());
    expect(s.fns["tabs.setPermissionMode"]).toHaveBeenCalledWith({ tabId: "t1", mode: "acceptEdits" });
  });

  test("an override is shown, and the agent's mode clears it (null)", async () => {
    const s = await setup({ tab: { ...tab, permissionMode: "bypass" } });
    expect(screen.getByRole<HTMLInputElement>("radio", { name: /^Bypass/ }).checked).toBe(true);
    await s.user.click(screen.getByRole("radio", { name: /The agent's mode \(Ask me\)/ }));
    await waitFor(() => expect(s.fns["tabs.setPermissionMode"]).toHaveBeenCalledWith({ tabId: "t1", mode: null }));
  });

  test("a refusal is said, and the sheet stays", async () => {
    const s = await setup({ fail: true });
    await s.user.click(screen.getByRole("radio", { name: /^Ask me/ }));
    expect(await screen.findByText("That tab no longer exists.")).toBeTruthy();
    expect(s.onClose).not.toHaveBeenCalled();
    // The refused pick goes back to what is stored.
    expect(screen.getByRole<HTMLInputElement>("radio", { name: /The agent's mode/ }).checked).toBe(true);
  });

  test("a CLI that cannot ask says so here too", async () => {
    await setup({ provider: "codex", settings: {} });
    expect(screen.getByText(/Maestro cannot approve them one by one/)).toBeTruthy();
  });
});

test("the menu item names the override when there is one", () => {
  const open = vi.fn();
  expect(tabPermissionMenuItem(tab, open).label).toBe("Permissions…");
  const item = tabPermissionMenuItem({ ...tab, permissionMode: "plan" }, open);
  expect(item.label).toBe("Permissions: Plan (read-only)");
  item.onSelect();
  expect(open).toHaveBeenCalled();
});
