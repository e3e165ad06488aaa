// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { ApprovalState } from "@/lib/transcript/model";
import { testBridge } from "@/test/ui/render";
import { SharedShell } from "../share/shared-shell";
import { ApprovalActionsContext, ApprovalQueueContext } from "./approval-context";
import { ApprovalCard } from "./approval-card";
import { useConversationApprovals } from "./use-approval-actions";

const approval: ApprovalState = {
  approvalId: "a1",
  toolUseId: "toolu_1",
  toolName: "Bash",
  kind: "tool",
  input: { command: "rm -rf build" },
  noAlwaysAllow: false,
  expiresAt: "2026-12-07T10:30:00Z",
  askedAt: "2026-12-07T10:00:00Z",
  decision: null,
};

function Conversation({ access }: { access: "owner" | "view" | "control" }) {
  const actions = useConversationApprovals(access, "Claude Code", "/p");
  return (
    <ApprovalActionsContext value={actions}>
      <ApprovalQueueContext value={["a1"]}>
        <ApprovalCard approval={approval} />
      </ApprovalQueueContext>
    </ApprovalActionsContext>
  );
}

function share(permission: "view" | "control", canApprove: boolean) {
  return {
    kind: "share",
    shareId: "s1",
    label: "Sam",
    scope: "agent",
    agentId: "ag1",
    runId: null,
    permission,
    canApprove,
    expiresAt: new Date(Date.now() + 3600_000),
  };
}

function renderShared(principal: unknown, access: "owner" | "view" | "control") {
  const { Wrapper } = testBridge({
    "system.me": () => ({ principal, dataDir: null, homeDir: null, hostname: null, version: "test" }),
  });
  render(
    <Wrapper>
      <SharedShell>
        <Conversation access={access} />
      </SharedShell>
    </Wrapper>,
  );
}

describe("who may answer a request in a conversation", () => {
  test("a control link without the approve right sees no Allow or Deny", async () => {
    renderShared(share("control", false), "control");
    expect(await screen.findByText("rm -rf build")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Allow once" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Deny" })).toBeNull();
  });

  test("a control link with the approve right answers", async () => {
    renderShared(share("control", true), "control");
    expect(await screen.findByRole("button", { name: "Allow once" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Deny" })).toBeTruthy();
    // A link allows once; a lasting rule for the agent is the owner's to add.
    expect(screen.queryByRole("button", { name: "Always allow…" })).toBeNull();
  });

  test("a view link never answers, even with the approve flag set", async () => {
    renderShared(share("view", true), "view");
    expect(await screen.findByText("rm -rf build")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Allow once" })).toBeNull();
  });

  test("the owner answers", async () => {
    renderShared({ kind: "owner", sessionId: "o" }, "owner");
    expect(await screen.findByRole("button", { name: "Allow once" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Always allow…" })).toBeTruthy();
  });
});
