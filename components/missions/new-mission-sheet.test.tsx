// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { bridgeError, testBridge } from "@/test/ui/render";
import { ImportSheet } from "./import-sheet";
import { NewMissionSheet } from "./new-mission-sheet";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

const agents = [
  { id: "a0", name: "webapp", provider: "simulator", folder: "/p" },
  { id: "a1", name: "Ada", provider: "simulator", folder: "/p" },
];

const plan = (features: unknown[]) => JSON.stringify({ title: "Auth", milestones: [{ id: "m1", title: "Build", kind: "work" }], features });

describe("NewMissionSheet", () => {
  test("a plan with a cycle is refused in the browser, naming the cycle; nothing is sent", async () => {
    const bridge = testBridge({ "agents.list": () => agents, "missions.create": () => ({ id: "x", refId: "x" }) });
    render(<NewMissionSheet open onClose={() => {}} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    const box = screen.getByRole("textbox", { name: /Plan/ });
    await user.click(box);
    await user.paste(
      plan([
        { id: "a", milestoneId: "m1", title: "A", dependsOn: ["b"] },
        { id: "b", milestoneId: "m1", title: "B", dependsOn: ["a"] },
      ]),
    );
    expect(await screen.findByText(/Dependency cycle: a → b → a/)).toBeTruthy();
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Create mission" }).disabled).toBe(true);
    expect(bridge.fns["missions.create"]).not.toHaveBeenCalled();
  });

  test("a good plan is summed up, sent with the options under More, and opens Mission Control", async () => {
    const bridge = testBridge({ "agents.list": () => agents, "missions.create": () => ({ id: "m-1", refId: "auth" }) });
    const onClose = vi.fn();
    render(<NewMissionSheet open onClose={onClose} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await screen.findByRole("option", { name: "Ada" });
    await user.selectOptions(screen.getByLabelText("Project"), "a1");
    const text = plan([
      { id: "a", milestoneId: "m1", title: "A" },
      { id: "b", milestoneId: "m1", title: "B", dependsOn: ["a"] },
    ]);
    await user.click(screen.getByRole("textbox", { name: /Plan/ }));
    await user.paste(text);
    expect(await screen.findByText(/“Auth”, 1 milestone, 2 features/)).toBeTruthy();
    await user.click(screen.getByText(/More: parallel workers/));
    const conc = screen.getByLabelText("Features at once");
    await user.clear(conc);
    await user.type(conc, "2");
    await user.selectOptions(screen.getByLabelText("When a feature fails"), "stop");
    await user.selectOptions(screen.getByLabelText("When it is done"), "pr");
    await user.click(screen.getByRole("button", { name: "Create mission" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(bridge.fns["missions.create"]).toHaveBeenCalledWith({
      agentId: "a1",
      plan: text,
      concurrency: 2,
      failurePolicy: "stop",
      finishMode: "pr",
      pool: undefined,
    });
    expect(push).toHaveBeenCalledWith("/missions/m-1");
  });

  test("the bridge's refusal shows in the sheet, which stays open", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "missions.create": () => {
        throw bridgeError("That agent's folder is not a git repository.", "BAD_REQUEST", { hint: "Run git init there first." });
      },
    });
    const onClose = vi.fn();
    render(<NewMissionSheet open onClose={onClose} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await screen.findByRole("option", { name: "Ada" });
    await user.click(screen.getByRole("textbox", { name: /Plan/ }));
    await user.paste(plan([{ id: "a", milestoneId: "m1", title: "A" }]));
    await screen.findByText(/1 milestone, 1 feature/);
    await user.click(screen.getByRole("button", { name: "Create mission" }));
    expect(await screen.findByText("That agent's folder is not a git repository.")).toBeTruthy();
    expect(screen.getByText("Run git init there first.")).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe("ImportSheet", () => {
  test("imports a project's .maestro/ missions and says what was skipped and why", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "missions.list": () => [],
      "missions.importDisk": () => ({ imported: ["auth-rework"], skipped: [{ refId: "old", reason: "already imported" }] }),
    });
    render(<ImportSheet open onClose={() => {}} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await screen.findByRole("option", { name: /Ada/ });
    await user.selectOptions(screen.getByLabelText("Project"), "a1");
    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(await screen.findByText("Imported 1 mission: auth-rework")).toBeTruthy();
    expect(screen.getByText(/already imported/)).toBeTruthy();
    expect(bridge.fns["missions.importDisk"]).toHaveBeenCalledWith({ agentId: "a1" });
    expect(screen.getByRole("button", { name: "Done" })).toBeTruthy();
  });
});
