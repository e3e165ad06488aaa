import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, handoffCreateArgs, json, missionsCliSuite, waitFor } from "./testing/missions-cli";

/**
 * The mission and feature commands through the real bin against one real bridge (see
 * testing/missions-cli.ts); handoffs, checkpoints and memory: missions-handoffs.test.ts.
 */
const suite = missionsCliSuite();
let refId = "";

describe("maestro init and mission", () => {
  it("init makes the reference's .maestro/ in the agent's folder, once", async () => {
    const r = await suite.bridge.cli(["init", "--agent", "api"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ok] Initialized project bootstrap");
    expect(fs.readFileSync(path.join(suite.project, ".maestro/config.yaml"), "utf8")).toContain("defaultWorkflow: plan-implement");
    expect(fs.readFileSync(path.join(suite.project, ".gitignore"), "utf8")).toBe(
      "# Maestro runtime state\n.maestro/handoffs/\n.maestro/missions/\n.maestro/sessions/\n",
    );
    const again = json((await suite.bridge.cli(["init", "--agent", "api", "--json"])).stdout);
    expect(again.created).toEqual([]);
  });

  it("create from a plan file: its .maestro id, and the reference's files on disk", async () => {
    const r = await suite.bridge.cli(["mission", "create", "--file", path.join(suite.root, "plan.json"), "--agent", "api"]);
    expect(r.code, r.stderr).toBe(0);
    refId = /Mission created: (\S+)/.exec(r.stdout)![1]!;
    expect(refId).toMatch(/^\d{4}-\d{2}-\d{2}-\d{3}$/);
    expect(r.stdout).toContain("  Status: draft\n  Milestones: 2\n  Features: 3");
    const file = path.join(suite.project, ".maestro/missions", refId, "features/auth-impl.json");
    expect(await waitFor(file)).toBe(true);
    expect(json(fs.readFileSync(file, "utf8"))).toMatchObject({
      id: "auth-impl",
      missionId: refId,
      agentType: "simulator",
      status: "pending",
    });
  });

  it("a plan with a cycle is refused with the cycle named", async () => {
    const r = await suite.bridge.cli(["mission", "create", "--file", path.join(suite.root, "cycle.json"), "--agent", "api"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Dependency cycle: auth-plan → auth-impl → auth-plan.");
    const missing = await suite.bridge.cli(["mission", "create", "--file", path.join(suite.root, "nope.json"), "--agent", "api"]);
    expect(missing.code).toBe(4);
  });

  it("list, show, feature list: by .maestro id or --mission", async () => {
    const list = await suite.bridge.cli(["mission", "list"]);
    expect(list.stdout).toMatch(new RegExp(`${refId}\\s+draft\\s+0/3\\s+api\\s+Add authentication`));
    const show = await suite.bridge.cli(["mission", "show", refId]);
    expect(show.stdout).toContain("2. [GATE] review");
    expect(show.stdout).toContain("   - auth-impl  pending  Implement the auth flow  ← auth-plan");
    const features = json((await suite.bridge.cli(["feature", "list", "--mission", refId, "--json"])).stdout);
    expect(features).toMatchObject({ total: 3, filtered: 3 });
    expect(features.features.map((f: { key: string }) => f.key)).toEqual(["auth-plan", "auth-impl", "auth-review"]);
    const unknown = await suite.bridge.cli(["mission", "show", "2001-01-01-001", "--json"]);
    expect(unknown.code).toBe(4);
    expect(json(unknown.stdout)).toMatchObject({ success: false, code: "MISSION_NOT_FOUND" });
  });

  it("feature prompt prints the worker prompt between the reference's markers", async () => {
    const r = await suite.bridge.cli(["feature", "prompt", refId, "auth-impl"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ok] Worker prompt generated for: auth-impl\n  Agent type: simulator\n");
    expect(r.stdout).toContain("--- PROMPT BEGIN ---\n\n<!-- maestro:mission-worker -->\n# Worker Assignment: Implement the auth flow");
    expect(r.stdout.trimEnd().endsWith("--- PROMPT END ---")).toBe(true);
  });

  it("feature update --status review (the reference's habit) says the feature is pending: a running worker verifies here", async () => {
    const r = await suite.bridge.cli(["feature", "update", refId, "auth-plan", "--status", "review"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      "[ok] Feature updated: auth-plan\n  Status: pending\n  (review needs a running worker: the mission runs it again)\n  Title: Plan the auth flow\n",
    );
  });

  it("validate update by the reference's assertion id; validate show", async () => {
    const r = await suite.bridge.cli([
      "validate",
      "update",
      "auth-impl-assertion-1",
      "--mission",
      refId,
      "--result",
      "passed",
      "--evidence",
      "npm test: 3 passed",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ok] Assertion updated: auth-login-works");
    const shown = json((await suite.bridge.cli(["validate", "show", refId, "--json"])).stdout);
    expect(shown.assertions).toMatchObject([{ key: "auth-login-works", status: "passed", evidence: "npm test: 3 passed" }]);
    const bad = await suite.bridge.cli(["validate", "update", refId, "no-such-thing", "--status", "passed"]);
    expect(bad.code).toBe(4);
    const usage = await suite.bridge.cli(["validate", "update", refId, "auth-login-works"]);
    expect([usage.code, usage.stderr]).toEqual([2, "maestro: --status (or --result) is required.\n"]);
  });

  it("mission-control --json is the reference's snapshot; --preview one frame", async () => {
    const snap = json((await suite.bridge.cli(["mission-control", "--json"])).stdout);
    expect(snap).toMatchObject({
      mode: "mission",
      missionId: refId,
      missionTitle: "Add authentication",
      featureProgress: { done: 0, total: 3 },
    });
    const preview = await suite.bridge.cli(["mission-control", "--preview"]);
    expect(preview.stdout).toContain(`Mission Control — Add authentication (${refId})`);
    expect(preview.stdout).toContain("2. [GATE] review");
    const both = await suite.bridge.cli(["mission-control", "--json", "--preview"]);
    expect(both.code).toBe(2);
  });
});

describe("a mission's .maestro id is looked up in the current project", () => {
  const NO_AGENT = { MAESTRO_AGENT_ID: "" };
  let shop: { id: string; missionId: string };
  let apiMissionId = "";

  beforeAll(async () => {
    // A second project's first mission of the day: the same .maestro id as api's.
    const folder = path.join(suite.root, "shop");
    fs.mkdirSync(folder);
    const agent = await suite.bridge.services.agents.create({ name: "shop", folder, provider: "simulator" });
    const r = await suite.bridge.cli(
      ["mission", "create", "--file", path.join(suite.root, "plan.json"), "--agent", "shop", "--json"],
      NO_AGENT,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).refId).toBe(refId);
    shop = { id: agent.id, missionId: json(r.stdout).id };
    apiMissionId = (await suite.bridge.services.missions.list()).find((m) => m.refId === refId && m.id !== shop.missionId)!.id;
  });

  it("outside any agent, an id two projects use is ambiguous, naming both", async () => {
    const r = await suite.bridge.cli(["mission", "approve", refId, "--json"], NO_AGENT);
    expect(r.code).toBe(2);
    const out = json(r.stdout);
    expect(out).toMatchObject({ success: false, code: "AMBIGUOUS" });
    expect(out.error).toContain(`${refId} of api (${apiMissionId})`);
    expect(out.error).toContain(`${refId} of shop (${shop.missionId})`);
    // Nothing was approved.
    expect((await suite.bridge.services.missions.get(shop.missionId)).status).toBe("draft");
    expect((await suite.bridge.services.missions.get(apiMissionId)).status).toBe("draft");
    // The mission's own id is one mission wherever it runs.
    expect(json((await suite.bridge.cli(["mission", "show", shop.missionId, "--json"], NO_AGENT)).stdout).id).toBe(shop.missionId);
  });

  it("inside an agent (or a worktree agent of it) it is that project's mission", async () => {
    const inShop = await suite.bridge.cli(["mission", "show", refId, "--json"], { MAESTRO_AGENT_ID: shop.id });
    expect(inShop.code, inShop.stderr).toBe(0);
    expect(json(inShop.stdout).id).toBe(shop.missionId);
    const api = (await suite.bridge.services.agents.list()).find((a) => a.name === "api")!;
    fs.mkdirSync(path.join(suite.root, "api-wt"));
    const wt = await suite.bridge.services.agents.create({
      name: "api-wt",
      folder: path.join(suite.root, "api-wt"),
      provider: "simulator",
    });
    await suite.bridge.services.db.agent.update({ where: { id: wt.id }, data: { parentId: api.id } });
    const inWorktree = await suite.bridge.cli(["feature", "list", "--mission", refId, "--json"], { MAESTRO_AGENT_ID: wt.id });
    expect(inWorktree.code, inWorktree.stderr).toBe(0);
    const r = await suite.bridge.cli(handoffCreateArgs(refId, "Shop login", "x", "--confidence-work", "1", "--json"), {
      MAESTRO_AGENT_ID: wt.id,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ missionId: apiMissionId, featureKey: "auth-impl" });
    const byFlag = await suite.bridge.cli(["handoff", "list", "--agent", "shop", "--mission", refId, "--json"], {
      MAESTRO_AGENT_ID: wt.id,
    });
    expect([byFlag.code, json(byFlag.stdout)]).toEqual([0, []]);
  });

  it("a project without it says where it is; the bridge refuses a mission of another project than the agent's", async () => {
    fs.mkdirSync(path.join(suite.root, "empty"));
    const empty = await suite.bridge.services.agents.create({
      name: "empty",
      folder: path.join(suite.root, "empty"),
      provider: "simulator",
    });
    const r = await suite.bridge.cli(["mission", "show", refId, "--json"], { MAESTRO_AGENT_ID: empty.id });
    expect(r.code).toBe(4);
    const error: string = json(r.stdout).error;
    expect(error).toMatch(new RegExp(`^no mission "${refId}" in empty's project; other projects have .*: use its id\\.$`));
    expect(error).toContain(`${refId} of shop (${shop.missionId})`);
    expect(error).toContain(`${refId} of api (${apiMissionId})`);
    const uki = fs.readFileSync(path.join(FIXTURES, "uki/readme-execute.uki"), "utf8").trim();
    const mixed = await suite.bridge.cli(["handoff", "import", uki, "--agent", "api", "--mission", shop.missionId], NO_AGENT);
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toContain(`Mission ${refId} belongs to another project than that agent's.`);
    expect(await suite.bridge.services.db.missionHandoff.count({ where: { missionId: shop.missionId } })).toBe(0);
  });
});
