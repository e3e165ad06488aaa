import { describe, expect, test } from "vitest";
import { createShareInput } from "../schemas/share";
import {
  agentInScope,
  chatInScope,
  decideShare,
  eventInScope,
  expiresInText,
  sharePageAllowed,
  shareHome,
  type ShareAccess,
  type ShareGrant,
} from "./scope";

const agentView: ShareGrant = { scope: "agent", agentId: "A", runId: null, permission: "view" };
const agentControl: ShareGrant = { ...agentView, permission: "control" };
const runView: ShareGrant = { scope: "run", agentId: "A", runId: "R", permission: "view" };
const runControl: ShareGrant = { ...runView, permission: "control" };
const dashboard: ShareGrant = { scope: "dashboard", agentId: null, runId: null, permission: "view" };
const agentApprove: ShareGrant = { ...agentControl, canApprove: true };
// Only the schema stops these being made; the rule must refuse them anyway.
const viewApprove: ShareGrant = { ...agentView, canApprove: true };
const runApprove: ShareGrant = { ...runControl, canApprove: true };

const chatView: ShareGrant = { scope: "groupchat", agentId: null, runId: null, groupChatId: "C", permission: "view" };
const chatControl: ShareGrant = { ...chatView, permission: "control" };

const refs = (agentIds: string[] = [], runIds: string[] = []) => ({ agentIds, runIds });

describe("decideShare", () => {
  test.each([
    // [grant, access, type, refs, scopedOutput, allowed]
    ["owner-only query", agentControl, undefined, "query", refs(["A"]), false, false],
    ["owner-only mutation", agentControl, undefined, "mutation", refs(["A"]), false, false],
    ["self for view", agentView, "self", "query", refs(), false, true],
    ["read own agent", agentView, "read", "query", refs(["A"]), false, true],
    ["read other agent", agentView, "read", "query", refs(["B"]), false, false],
    ["read mixed agents", agentView, "read", "query", refs(["A", "B"]), false, false],
    ["read with no ids", agentView, "read", "query", refs(), false, false],
    ["read list filtered afterwards", agentView, "read", "query", refs(), true, true],
    ["subscription own agent", agentView, "read", "subscription", refs(["A"]), false, true],
    ["view cannot control", agentView, "control", "mutation", refs(["A"]), false, false],
    ["view cannot even call a control query", agentView, "control", "query", refs(["A"]), false, false],
    ["view: every mutation refused, even tagged read", agentView, "read", "mutation", refs(["A"]), false, false],
    ["control prompts own agent", agentControl, "control", "mutation", refs(["A"]), false, true],
    ["control cannot prompt another agent", agentControl, "control", "mutation", refs(["B"]), false, false],
    ["agent scope reaches its agent's runs", agentView, "run", "query", refs(["A"], ["R"]), false, true],
    ["agent scope: a foreign run resolves to a foreign agent", agentView, "run", "query", refs(["B"], ["R2"]), false, false],
    // A run link: its run, and its run's tab (resolved to the run by the caller); nothing else of the agent.
    ["run scope reads its run", runView, "run", "query", refs([], ["R"]), false, true],
    ["run scope reads its run's tab stream", runView, "read", "subscription", refs([], ["R"]), false, true],
    ["run scope: the agent's other streams", runView, "read", "subscription", refs(["A"]), false, false],
    ["run scope: the agent named beside the run", runView, "run", "query", refs(["A"], ["R"]), false, false],
    ["run scope: the agent's list, even filtered", runView, "read", "query", refs([], ["R"]), true, false],
    ["run scope: run changes filtered to the run", runView, "run", "subscription", refs([], ["R"]), true, true],
    ["run scope: run changes without naming the run", runView, "run", "subscription", refs(), true, false],
    ["run scope: another run", runView, "run", "query", refs([], ["R2"]), false, false],
    ["run scope: its run and another", runView, "run", "query", refs([], ["R", "R2"]), false, false],
    ["run scope: run procedure without a runId", runView, "run", "query", refs(["A"]), false, false],
    ["run scope view cannot stop the run", runView, "run", "mutation", refs([], ["R"]), false, false],
    ["run scope control stops its run", runControl, "run", "mutation", refs([], ["R"]), false, true],
    ["run scope control cannot stop another run", runControl, "run", "mutation", refs([], ["R2"]), false, false],
    ["run scope control cannot prompt the agent", runControl, "control", "mutation", refs(["A"]), false, false],
    ["run scope control cannot prompt the run's tab", runControl, "control", "mutation", refs([], ["R"]), false, false],
    ["agent scope control stops its agent's run", agentControl, "run", "mutation", refs(["A"], ["R"]), false, true],
    ["agent scope view cannot stop its agent's run", agentView, "run", "mutation", refs(["A"], ["R"]), false, false],
    ["dashboard reads any agent", dashboard, "read", "query", refs(["B"]), false, true],
    ["dashboard reads with no ids", dashboard, "read", "query", refs(), false, true],
    ["dashboard cannot control", dashboard, "control", "mutation", refs(["A"]), false, false],
    ["dashboard cannot act on runs", dashboard, "run", "mutation", refs([], ["R"]), false, false],
    // Approving tool use: a control link of one agent with the right, about its own agent's turn.
    ["approve with the right, own agent's approval", agentApprove, "approve", "mutation", refs(["A"]), false, true],
    ["approve with the right, another agent's approval", agentApprove, "approve", "mutation", refs(["B"]), false, false],
    ["approve with the right, naming nothing", agentApprove, "approve", "mutation", refs(), false, false],
    ["control without the right cannot approve", agentControl, "approve", "mutation", refs(["A"]), false, false],
    ["view cannot approve", agentView, "approve", "mutation", refs(["A"]), false, false],
    ["view with the right set anyway cannot approve", viewApprove, "approve", "mutation", refs(["A"]), false, false],
    ["run link with the right set anyway cannot approve", runApprove, "approve", "mutation", refs([], ["R"]), false, false],
    ["dashboard cannot approve", dashboard, "approve", "mutation", refs(["A"]), false, false],
  ] as const)("%s", (_name, grant, access, type, r, scopedOutput, allowed) => {
    expect(decideShare(grant, { access, type, refs: { agentIds: [...r.agentIds], runIds: [...r.runIds] }, scopedOutput }).ok).toBe(allowed);
  });

  test("a link without the approval right is told so", () => {
    expect(decideShare(agentControl, { access: "approve", type: "mutation", refs: refs(["A"]), scopedOutput: false })).toEqual({
      ok: false,
      message: expect.stringMatching(/may not answer tool approvals/),
    });
  });

  test("refusals say why in plain words", () => {
    expect(decideShare(agentView, { access: "control", type: "mutation", refs: refs(["A"]), scopedOutput: false })).toEqual({
      ok: false,
      message: "This share link is view only.",
    });
    expect(decideShare(agentView, { access: undefined, type: "query", refs: refs(), scopedOutput: false })).toEqual({
      ok: false,
      message: "Only the owner can do that.",
    });
  });
});

describe("decideShare for group chat links", () => {
  const call = (
    grant: ShareGrant,
    access: ShareAccess | undefined,
    type: "query" | "mutation" | "subscription",
    chatIds: string[],
    o: { agentIds?: readonly string[]; runIds?: readonly string[]; scopedOutput?: boolean } = {},
  ) =>
    decideShare(grant, {
      access,
      type,
      refs: { agentIds: [...(o.agentIds ?? [])], runIds: [...(o.runIds ?? [])], chatIds },
      scopedOutput: !!o.scopedOutput,
    }).ok;

  test.each([
    // [name, grant, access, type, chatIds, extra, allowed]
    ["view reads its chat", chatView, "groupchat", "query", ["C"], {}, true],
    ["view follows its chat's stream", chatView, "groupchat", "subscription", ["C"], {}, true],
    ["view lists chats, narrowed afterwards", chatView, "groupchat", "query", [], { scopedOutput: true }, true],
    ["view cannot send, stop or retry", chatView, "groupchat", "mutation", ["C"], {}, false],
    ["control sends in its chat", chatControl, "groupchat", "mutation", ["C"], {}, true],
    ["view: another chat", chatView, "groupchat", "query", ["C2"], {}, false],
    ["control: another chat", chatControl, "groupchat", "mutation", ["C2"], {}, false],
    ["its chat and another", chatControl, "groupchat", "query", ["C", "C2"], {}, false],
    ["a chat procedure naming no chat, not narrowed", chatView, "groupchat", "query", [], {}, false],
    ["its chat with an agent named too", chatControl, "groupchat", "mutation", ["C"], { agentIds: ["A"] }, false],
    ["its chat with a run named too", chatView, "groupchat", "query", ["C"], { runIds: ["R"] }, false],
    ["an agent read", chatView, "read", "query", [], { agentIds: ["A"] }, false],
    ["an agent list, even narrowed", chatView, "read", "query", [], { scopedOutput: true }, false],
    ["an agent's stream", chatView, "read", "subscription", [], { agentIds: ["A"] }, false],
    ["prompting an agent", chatControl, "control", "mutation", [], { agentIds: ["A"] }, false],
    ["an Auto Run", chatControl, "run", "mutation", [], { runIds: ["R"] }, false],
    ["tool approvals", chatControl, "approve", "mutation", [], { agentIds: ["A"] }, false],
    ["owner-only procedures", chatControl, undefined, "mutation", ["C"], {}, false],
    ["its own session (system.me)", chatView, "self", "query", [], {}, true],
    ["agent view link: a chat", agentView, "groupchat", "query", ["C"], {}, false],
    ["agent control link: sending in a chat", agentControl, "groupchat", "mutation", ["C"], {}, false],
    ["agent link: the chat list, even narrowed", agentView, "groupchat", "query", [], { scopedOutput: true }, false],
    ["run link: a chat", runControl, "groupchat", "query", ["C"], {}, false],
    ["dashboard: a chat", dashboard, "groupchat", "query", ["C"], {}, false],
    ["dashboard: the chat list", dashboard, "groupchat", "query", [], { scopedOutput: true }, false],
    ["agent link: its agent's read with a chat id smuggled in", agentView, "read", "query", ["C"], { agentIds: ["A"] }, false],
    ["a chat link that lost its chat id", { ...chatControl, groupChatId: null }, "groupchat", "query", [], { scopedOutput: true }, false],
  ] as const)("%s", (_name, grant, access, type, chatIds, extra, allowed) => {
    expect(call(grant, access, type, [...chatIds], extra)).toBe(allowed);
  });

  test("chatInScope: a chat link's own chat only; other links see no chat", () => {
    expect([chatInScope(chatView, "C"), chatInScope(chatView, "C2"), chatInScope(chatView, null)]).toEqual([true, false, false]);
    expect([chatInScope(agentView, "C"), chatInScope(dashboard, "C")]).toEqual([false, false]);
    expect([agentInScope(chatView, "A"), agentInScope(chatView, null)]).toEqual([false, false]);
  });
});

describe("agentInScope and pages", () => {
  test.each([
    [agentView, "A", true],
    [agentView, "B", false],
    [agentView, null, false],
    [runView, "A", true],
    [dashboard, "B", true],
  ] as const)("agentInScope(%o, %s) = %s", (grant, id, expected) => {
    expect(agentInScope(grant, id)).toBe(expected);
  });

  test.each([
    [agentView, "/shared/agents/A", true],
    [agentView, "/shared/agents/B", false],
    [agentView, "/shared", false],
    [agentView, "/", false],
    [agentView, "/settings", false],
    [agentView, "/agents/A", false],
    [agentView, "/share", true],
    [agentView, "/shared/agents/%E0%A4%A", false],
    [dashboard, "/shared", true],
    [dashboard, "/shared/agents/anything", true],
    [dashboard, "/history", false],
    [runView, "/shared/runs/R", true],
    [runView, "/shared/runs/R/", true],
    [runView, "/shared/runs/R2", false],
    [runView, "/shared/agents/A", false],
    [runView, "/shared", false],
    [runView, "/autorun/runs/R", false],
    [runView, "/shared/runs/%E0%A4%A", false],
    [runView, "/shared/runs/R/extra", false],
    [agentView, "/shared/runs/R", true],
    [dashboard, "/shared/runs/R", true],
    [chatView, "/shared/groupchats/C", true],
    [chatControl, "/shared/groupchats/C/", true],
    [chatView, "/shared/groupchats/C2", false],
    [chatView, "/shared/groupchats/C/extra", false],
    [chatView, "/shared/groupchats/%E0%A4%A", false],
    [chatView, "/shared", false],
    [chatView, "/shared/agents/A", false],
    [chatView, "/shared/runs/R", false],
    [chatView, "/groupchats/C", false],
    [chatView, "/share", true],
    [agentView, "/shared/groupchats/C", false],
    [runView, "/shared/groupchats/C", false],
    [dashboard, "/shared/groupchats/C", false],
  ] as const)("%o may open %s: %s", (grant, path, expected) => {
    expect(sharePageAllowed(grant, path)).toBe(expected);
  });

  test.each([
    ["agent link, its agent", agentView, { agentId: "A", runId: "R2" }, true],
    ["agent link, another agent", agentView, { agentId: "B", runId: "R3" }, false],
    ["run link, its run", runView, { agentId: "A", runId: "R" }, true],
    ["run link, a playbook change of its agent (no run)", runView, { agentId: "A", runId: "" }, true],
    ["run link, another run of its agent", runView, { agentId: "A", runId: "R2" }, false],
    ["run link, another agent's event", runView, { agentId: "B", runId: "R" }, false],
    ["run link, an event about no agent", runView, { agentId: null }, true],
    ["run link, an event without agentId", runView, { runId: "R" }, false],
    ["dashboard, any run", dashboard, { agentId: "B", runId: "R9" }, true],
  ] as const)("eventInScope: %s → %s", (_name, grant, event, expected) => {
    expect(eventInScope(grant, event)).toBe(expected);
  });

  test("home is the scope's screen", () => {
    expect(shareHome(agentView)).toBe("/shared/agents/A");
    expect(shareHome(runView)).toBe("/shared/runs/R");
    expect(shareHome({ ...runView, runId: "a/b" })).toBe("/shared/runs/a%2Fb");
    expect(shareHome(dashboard)).toBe("/shared");
    expect(shareHome(chatView)).toBe("/shared/groupchats/C");
    expect(shareHome({ ...chatView, groupChatId: "a/b" })).toBe("/shared/groupchats/a%2Fb");
  });
});

describe("expiresInText", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  test.each([
    [-1, "expired"],
    [30_000, "expires in 1 minute"],
    [59 * 60_000, "expires in 59 minutes"],
    [60 * 60_000, "expires in 1 hour"],
    [24 * 3_600_000, "expires in 24 hours"],
    [7 * 86_400_000, "expires in 7 days"],
  ])("%i ms → %s", (ms, text) => {
    expect(expiresInText(new Date(now.getTime() + ms), now)).toBe(text);
  });
});

describe("createShareInput", () => {
  const base = { scope: "agent", permission: "view", agentId: "A", expiresInSeconds: 3600, label: "Sam" } as const;
  test.each([
    ["a valid agent link", base, true],
    ["under an hour", { ...base, expiresInSeconds: 3599 }, false],
    ["over 30 days", { ...base, expiresInSeconds: 30 * 86400 + 1 }, false],
    ["exactly 30 days", { ...base, expiresInSeconds: 30 * 86400 }, true],
    ["agent scope without an agent", { ...base, agentId: undefined }, false],
    ["run scope without a run", { ...base, scope: "run" }, false],
    ["run scope with a run", { ...base, scope: "run", runId: "R" }, true],
    ["run scope with a run and no agent (the run names it)", { ...base, scope: "run", runId: "R", agentId: undefined }, true],
    ["run scope control", { ...base, scope: "run", runId: "R", permission: "control" }, true],
    ["dashboard control", { ...base, scope: "dashboard", permission: "control", agentId: undefined }, false],
    ["a control link that may approve", { ...base, permission: "control", canApprove: true }, true],
    ["a view link that may approve", { ...base, canApprove: true }, false],
    ["a run link that may approve", { ...base, scope: "run", runId: "R", permission: "control", canApprove: true }, false],
    ["a control link that may not approve", { ...base, permission: "control", canApprove: false }, true],
    ["dashboard view", { ...base, scope: "dashboard", agentId: undefined }, true],
    ["blank label", { ...base, label: "  " }, false],
    ["unknown scope", { ...base, scope: "group" }, false],
    ["group chat view", { ...base, scope: "groupchat", groupChatId: "C", agentId: undefined }, true],
    ["group chat control", { ...base, scope: "groupchat", groupChatId: "C", permission: "control", agentId: undefined }, true],
    ["group chat without a chat", { ...base, scope: "groupchat", agentId: undefined }, false],
    [
      "a group chat link that may approve",
      { ...base, scope: "groupchat", groupChatId: "C", permission: "control", canApprove: true },
      false,
    ],
  ])("%s", (_name, input, ok) => {
    expect(createShareInput.safeParse(input).success).toBe(ok);
  });
});
