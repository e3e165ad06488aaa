// @vitest-environment happy-dom
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import { testBridge } from "@/test/ui/render";
import { SettingsDevices } from "./settings-devices";

const at = new Date("2026-12-07T06:00:00Z");
const device = (id: string, deviceName: string, kind: string, current = false) => ({
  id,
  deviceName,
  kind,
  createdAt: at,
  lastSeenAt: at,
  current,
});

function setup(devices: ReturnType<typeof device>[]) {
  const bridge = testBridge({
    "devices.list": () => devices,
    "devices.revoke": (input: { id: string }) => ({ id: input.id, wasCurrent: false }),
  });
  render(<SettingsDevices />, { wrapper: bridge.Wrapper });
  return { ...bridge, user: userEvent.setup() };
}

test("the CLI's row says what it is; revoking it warns that the token is replaced, then revokes that row", async () => {
  const s = setup([device("d1", "Ada's phone", "device", true), device("c1", "CLI", "cli"), device("c2", "CLI · ci box", "cli")]);
  const rows = await screen.findAllByRole("listitem");
  const [phone, cli, renamed] = rows.filter((r) => r.textContent);
  expect(phone!.textContent).toContain("Paired");
  expect(cli!.textContent).toMatch(/^CLICreated /);
  expect(within(renamed!).getByText("CLI", { exact: true })).toBeTruthy();
  await s.user.click(within(cli!).getByRole("button", { name: "Revoke CLI" }));
  const dialog = await screen.findByRole("dialog");
  expect(dialog.textContent).toContain("The maestro CLI's token is replaced at once");
  await s.user.click(within(dialog).getByRole("button", { name: /^Revoke$/ }));
  await vi.waitFor(() => expect(s.fns["devices.revoke"]).toHaveBeenCalledWith({ id: "c1" }));
});
