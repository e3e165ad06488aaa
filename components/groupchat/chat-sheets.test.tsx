// @vitest-environment happy-dom
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { ChatView } from "@/lib/groupchat/types";
import { bridgeError, testBridge } from "@/test/ui/render";
import { ChatSettingsSheet } from "./chat-settings-sheet";
import { ParticipantsPanel } from "./participants-panel";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }) }));

const at = "2026-12-07T17:00:00.000Z";
const agents = [
  { id: "m", name: "Mod", provider: "simulator" },
  { id: "a1", name: "Ada", provider: "simulator" },
  { id: "a2", name: "Bob", provider: "simulator" },
  { id: "a3", name: "Cy", provider: "claude" },
];

const view: ChatView = {
  chat: {
    id: "c1",
    name: "Release review",
    moderatorAgentId: "m",
    moderatorName: "Mod",
    moderatorProvider: "simulator",
    moderatorTabId: null,
    status: "agents",
    statusDetail: "",
    working: ["a1"],
    participantTimeoutMs: 600_000,
    roundLimit: 6,
    totals: { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0 },
    createdAt: at,
    updatedAt: at,
  },
  participants: [
    { id: "p1", agentId: "a1", name: "Ada", agentName: "Ada", provider: "simulator", folder: "/p", role: "", colorIndex: 0, tabId: null },
    {
      id: "p2",
      agentId: "a2",
      name: "Bob",
      agentName: "Bob",
      provider: "simulator",
      folder: "/p",
      role: "tests",
      colorIndex: 1,
      tabId: null,
    },
  ],
  rounds: [],
  messages: [],
  activity: {},
  lastEventId: 3,
};

describe("ChatSettingsSheet", () => {
  test("saves only what changed: the name and the limits in the bridge's units", async () => {
    const bridge = testBridge({ "agents.list": () => agents, "groupchat.update": () => undefined });
    const onClose = vi.fn();
    render(<ChatSettingsSheet chat={view.chat} onClose={onClose} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    const name = screen.getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Release 2");
    const timeout = screen.getByLabelText("Participant timeout (minutes)");
    await user.clear(timeout);
    await user.type(timeout, "15");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(bridge.fns["groupchat.update"]).toHaveBeenCalledWith({
      chatId: "c1",
      name: "Release 2",
      moderatorAgentId: undefined,
      participantTimeoutMs: 900_000,
      roundLimit: 6,
    });
  });

  test("a field the bridge refuses shows its message at the field, and the sheet stays", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "groupchat.update": () => {
        throw bridgeError("Invalid input", "BAD_REQUEST", { fieldErrors: { name: "Keep the name under 80 characters." } });
      },
    });
    const onClose = vi.fn();
    render(<ChatSettingsSheet chat={view.chat} onClose={onClose} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Name"), " and more");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Keep the name under 80 characters.");
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe("ParticipantsPanel", () => {
  test("removing a participant the bridge refuses (it is working) shows the bridge's reason on its row", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "groupchat.removeParticipant": () => {
        throw bridgeError("Ada is working on a request: stop the round first.", "CONFLICT");
      },
    });
    render(<ParticipantsPanel view={view} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Remove Ada" }));
    const row = screen.getByRole("listitem", { name: "Ada" });
    await waitFor(() => expect(row.textContent).toContain("Ada is working on a request: stop the round first."));
    expect(bridge.fns["groupchat.removeParticipant"]).toHaveBeenCalledWith({ chatId: "c1", agentId: "a1" });
  });

  test("adds an agent not yet in the chat (never the moderator), and saves a role when the box is left", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "groupchat.addParticipant": () => undefined,
      "groupchat.setRole": () => undefined,
    });
    render(<ParticipantsPanel view={view} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    const picker = await screen.findByLabelText("Add an agent");
    expect([...(picker as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(["Cy"]);
    await user.click(screen.getByRole("button", { name: "Add" }));
    expect(bridge.fns["groupchat.addParticipant"]).toHaveBeenCalledWith({ chatId: "c1", agentId: "a3" });
    await user.type(screen.getByLabelText("Role of Ada"), "reviews security");
    await user.tab();
    await waitFor(() =>
      expect(bridge.fns["groupchat.setRole"]).toHaveBeenCalledWith({ chatId: "c1", agentId: "a1", role: "reviews security" }),
    );
  });
});
