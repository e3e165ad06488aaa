import { describe, expect, test } from "vitest";
import { conversationAgentOf, listedAgents, missionRoles, type MissionAgentRefs } from "./agent-rows";

const refs: MissionAgentRefs = {
  missions: [
    { id: "m1", title: "Auth", branch: "mission/2026-12-07-001/main", missionAgentId: "mission-agent" },
    { id: "m2", title: "Draft", branch: null, missionAgentId: null },
  ],
  features: [
    { missionId: "m1", worktreeAgentId: "feat-a" },
    { missionId: "m1", worktreeAgentId: null },
  ],
};

const agents = [
  { id: "project", worktreeBranch: null },
  { id: "mission-agent", worktreeBranch: "mission/2026-12-07-001/main" },
  { id: "feat-a", worktreeBranch: "mission/2026-12-07-001/f/a" },
  // Just made: its feature row does not name it yet, its branch does.
  { id: "feat-b", worktreeBranch: "mission/2026-12-07-001/f/b-2" },
  // A feature branch of no mission known here, and a person's own worktree.
  { id: "other", worktreeBranch: "mission/2026-01-01-009/f/x" },
  { id: "mine", worktreeBranch: "feature/login" },
];

describe("missionRoles", () => {
  test("marks the mission's own agent and each feature's worktree agent, by row or by branch", () => {
    const roles = missionRoles(agents, refs);
    expect(Object.fromEntries([...roles].map(([id, r]) => [id, r.role]))).toEqual({
      "mission-agent": "mission",
      "feat-a": "feature",
      "feat-b": "feature",
    });
    expect(roles.get("mission-agent")).toEqual({ missionId: "m1", role: "mission", title: "Auth" });
  });
});

describe("listedAgents", () => {
  test("leaves feature worktree agents out, keeps the mission's agent and everything else", () => {
    const roles = missionRoles(agents, refs);
    const withRoles = agents.map((a) => ({ ...a, mission: roles.get(a.id) ?? null }));
    expect(listedAgents(withRoles).map((a) => a.id)).toEqual(["project", "mission-agent", "other", "mine"]);
  });
  test("an agent read without a mission part is listed", () => {
    expect(listedAgents([{ id: "x", mission: undefined }]).map((a) => a.id)).toEqual(["x"]);
  });
});

describe("conversationAgentOf", () => {
  test.each([
    [{ worktreeAgentId: "wt", tabId: "t" }, "wt"],
    [{ worktreeAgentId: null, tabId: "t" }, "mission-agent"],
    [{ worktreeAgentId: null, tabId: null }, null],
  ])("%o → %s", (feature, agent) => {
    expect(conversationAgentOf({ missionAgentId: "mission-agent" }, feature)).toBe(agent);
  });
});
