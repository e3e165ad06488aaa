// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { testBridge } from "@/test/ui/render";
import { AddAgentDialog } from "./add-agent-dialog";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }), usePathname: () => "/" }));

function setup() {
  const bridge = testBridge({
    "groups.list": () => [],
    "system.me": () => ({ homeDir: "/home/ada", hostname: "box" }),
    "providers.detect": () => [],
    "agents.create": (input: { name: string; folder: string }) => ({ id: "a1", name: input.name }),
    "agents.list": () => [],
  });
  const onCreated = vi.fn();
  render(<AddAgentDialog initialGroupId={null} onClose={vi.fn()} onCreated={onCreated} />, { wrapper: bridge.Wrapper });
  return { ...bridge, onCreated, user: userEvent.setup() };
}

describe("the add-agent form checks with the bridge's input schema", () => {
  test.each([
    ["", "", { name: "Give it a name.", folder: "Choose the project folder." }],
    ["api", "projects/api", { folder: "Use an absolute path (starting with /)." }],
    ["api", "/srv/../etc", { folder: "The path must not contain `..` segments." }],
  ])("name %j, folder %j", async (name, folder, errors) => {
    const s = setup();
    const folderBox = await screen.findByRole("textbox", { name: "Project folder" });
    if (folder) await s.user.type(folderBox, folder);
    const nameBox = screen.getByRole("textbox", { name: "Name" });
    await s.user.clear(nameBox);
    if (name) await s.user.type(nameBox, name);
    await s.user.click(screen.getByRole("button", { name: "Create agent" }));
    for (const message of Object.values(errors)) expect(screen.getByText(message)).toBeTruthy();
    expect(folderBox.getAttribute("aria-invalid")).toBe("folder" in errors ? "true" : null);
    expect(s.fns["agents.create"]).not.toHaveBeenCalled();
  });

  test("a good form is sent, trimmed", async () => {
    const s = setup();
    await s.user.type(await screen.findByRole("textbox", { name: "Project folder" }), " /srv/api ");
    const nameBox = screen.getByRole("textbox", { name: "Name" });
    await s.user.clear(nameBox);
    await s.user.type(nameBox, "api ");
    await s.user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() =>
      expect(s.fns["agents.create"]).toHaveBeenCalledWith({ name: "api", folder: "/srv/api", provider: "simulator", groupId: null }),
    );
    await waitFor(() => expect(s.onCreated).toHaveBeenCalledWith("a1"));
  });
});
