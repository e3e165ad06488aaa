// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { AgentSettings } from "@/lib/schemas/agent-settings";
import { bridgeError, testBridge, type Handler } from "@/test/ui/render";
import type { Agent } from "../ui/trpc-types";
import { AgentSettingsDialog } from "./agent-settings-dialog";

const agent = { id: "a1", name: "Ada", provider: "claude" } as Agent;
const FOLDER_RULE = "Use a folder relative to the project, like .maestro/playbooks.";

async function setup(stored: AgentSettings = {}, save: Handler = (input: { settings: AgentSettings }) => input.settings, a: Agent = agent) {
  const bridge = testBridge({
    "agents.settings": () => stored,
    "agents.updateSettings": save,
    "approvals.rules": () => [],
    "approvals.addRule": (input: { agentId: string; rule: string }) => ({
      id: "r1",
      ...input,
      tool: "Write",
      ruleContent: "",
      createdByLabel: "",
      createdAt: new Date(),
    }),
  });
  const onClose = vi.fn();
  render(<AgentSettingsDialog agent={a} open onClose={onClose} />, { wrapper: bridge.Wrapper });
  await screen.findByRole("textbox", { name: /Auto Run folder/ });
  return { ...bridge, onClose, user: userEvent.setup() };
}

const mode = () => screen.getByRole<HTMLSelectElement>("combobox", { name: "Mode" });
const field = (name: RegExp) => screen.getByRole<HTMLInputElement | HTMLTextAreaElement>("textbox", { name });
/** The texts that describe a control (its hint, then its error). */
const describedBy = (el: HTMLElement) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "");

describe("the agent settings form", () => {
  test("shows the stored settings", async () => {
    await setup({ model: "sonnet", env: { A: "1", B: "2" }, readOnly: true, autorunFolder: "docs/runs" });
    expect(field(/Model/).value).toBe("sonnet");
    expect(field(/Environment/).value).toBe("A=1\nB=2");
    expect(field(/Auto Run folder/).value).toBe("docs/runs");
    // The old "plan mode" switch shows as the Plan mode.
    expect(mode().value).toBe("plan");
    expect(screen.getByRole("switch", { name: /sandbox/ }).getAttribute("aria-checked")).toBe("false");
  });

  test.each(["C:\\x", "playbooks\\mine", "/abs"])(
    "refuses the Auto Run folder %j with the schema's message, on the field",
    async (folder) => {
      const s = await setup();
      const input = field(/Auto Run folder/);
      await s.user.type(input, folder);
      await s.user.click(screen.getByRole("button", { name: "Save" }));
      const error = await screen.findByText(FOLDER_RULE);
      expect(error.closest("[role=alert]")).toBeTruthy();
      expect(input.getAttribute("aria-invalid")).toBe("true");
      expect(describedBy(input)).toEqual([
        "Where this agent’s checklists live, relative to the project; it cannot leave the project.",
        FOLDER_RULE,
      ]);
      expect(s.fns["agents.updateSettings"]).not.toHaveBeenCalled();
      // Fixing the field clears its error.
      await s.user.clear(input);
      expect(screen.queryByText(FOLDER_RULE)).toBeNull();
      expect(input.getAttribute("aria-invalid")).toBeNull();
    },
  );

  test("each wrong field shows its own error", async () => {
    const s = await setup();
    await s.user.type(field(/Idle timeout/), "5");
    await s.user.type(field(/Environment/), "1BAD=x");
    await s.user.type(field(/Auto Run folder/), "../out");
    await s.user.click(screen.getByRole("button", { name: "Save" }));
    expect(describedBy(field(/Idle timeout/))).toContain("A whole number of seconds from 10 to 86400 (24 hours).");
    expect(describedBy(field(/Environment/))).toContain("“1BAD”: Environment names are letters, digits and _.");
    expect(describedBy(field(/Auto Run folder/))).toContain("The Auto Run folder must stay inside the project (no “..”).");
    expect(s.fns["agents.updateSettings"]).not.toHaveBeenCalled();
  });

  test("a good form is saved as settings and the dialog closes", async () => {
    const s = await setup();
    await s.user.type(field(/Model/), " opus ");
    await s.user.type(field(/Auto Run folder/), "docs/runs/");
    await s.user.selectOptions(mode(), "Plan (read-only)");
    await s.user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(s.onClose).toHaveBeenCalled());
    expect(s.fns["agents.updateSettings"]).toHaveBeenCalledWith({
      id: "a1",
      settings: expect.objectContaining({ model: "opus", autorunFolder: "docs/runs", permissionMode: "plan", readOnly: true }),
    });
  });

  test("a chosen mode replaces the old plan switch; the timeout is checked on its field", async () => {
    const s = await setup({ readOnly: true, model: "m" });
    await s.user.selectOptions(mode(), "Ask me");
    expect(describedBy(mode())[0]).toMatch(/^Asks before it edits a file/);
    const timeout = field(/Deny unanswered requests after/);
    await s.user.type(timeout, "0");
    await s.user.click(screen.getByRole("button", { name: "Save" }));
    expect(describedBy(timeout)).toContain("A whole number of minutes from 1 to 1440 (24 hours).");
    expect(s.fns["agents.updateSettings"]).not.toHaveBeenCalled();
    await s.user.clear(timeout);
    await s.user.type(timeout, "10");
    await s.user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(s.onClose).toHaveBeenCalled());
    expect(s.fns["agents.updateSettings"]).toHaveBeenCalledWith({
      id: "a1",
      settings: { model: "m", permissionMode: "ask", approvalTimeoutMin: 10 },
    });
  });

  test("Enter in the rule box adds the rule and does not save (or close) the settings", async () => {
    const s = await setup();
    await s.user.type(screen.getByRole("textbox", { name: "Add a rule" }), "Write{Enter}");
    await waitFor(() => expect(s.fns["approvals.addRule"]).toHaveBeenCalledWith({ agentId: "a1", rule: "Write" }));
    expect(s.fns["agents.updateSettings"]).not.toHaveBeenCalled();
    expect(s.onClose).not.toHaveBeenCalled();
  });

  test.each(["codex", "opencode", "gemini"])(
    "%s: the settings say plainly that its calls cannot be approved one by one",
    async (provider) => {
      await setup({}, undefined, { ...agent, provider });
      expect(screen.getByTestId("provider-approval-note").textContent).toMatch(/Maestro cannot approve .*one by one/);
      // No timeout to set and no rules to keep: nothing ever waits.
      expect(screen.queryByRole("textbox", { name: /Deny unanswered requests after/ })).toBeNull();
      expect(screen.queryByRole("textbox", { name: "Add a rule" })).toBeNull();
    },
  );

  test("the bridge's field errors land on their fields; others above the form", async () => {
    const s = await setup({}, () => {
      throw bridgeError("Bad settings", "BAD_REQUEST", { fieldErrors: { "settings.binaryPath": "No such file." } });
    });
    await s.user.type(field(/Binary path/), "/nope");
    await s.user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(describedBy(field(/Binary path/))).toContain("No such file."));
    expect(s.onClose).not.toHaveBeenCalled();
  });

  test("the simulator's dialect is offered only for the simulator", async () => {
    await setup({}, undefined, { ...agent, provider: "simulator" });
    expect(screen.getByRole("combobox", { name: "Simulator dialect" })).toBeTruthy();
  });
});
