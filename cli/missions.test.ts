import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../server/testing/harness";
import { startRealBridge, type RealBridge } from "./testing/real-bridge";

/**
 * The mission, handoff and memory commands through the real bin against one real bridge (the
 * missions service on a real database, `.maestro/` written to a temp project folder). Nothing is
 * approved here: running missions is the executor's tests' job.
 */
let bridge: RealBridge;
let root: string;
let project: string;
let refId = "";

const FIXTURES = path.join(import.meta.dirname, "../test/fixtures/maestro-ref");
const json = (s: string) => JSON.parse(s);

const plan = {
  title: "Add authentication",
  description: "Ship the first authentication slice",
  milestones: [
    { id: "build", title: "Build", description: "", order: 0, kind: "work" },
    { id: "review", title: "Review", description: "", order: 1, kind: "gate" },
  ],
  features: [
    {
      id: "auth-plan",
      milestoneId: "build",
      title: "Plan the auth flow",
      description: "Shape",
      agentType: "simulator",
      verificationSteps: ["Read it"],
    },
    {
      id: "auth-impl",
      milestoneId: "build",
      title: "Implement the auth flow",
      description: "Build it",
      workerType: "simulator",
      dependsOn: ["auth-plan"],
      verificationSteps: ["npm test"],
      fulfills: ["auth-login-works"],
    },
    { id: "auth-review", milestoneId: "review", title: "Review", description: "", dependsOn: ["auth-impl"] },
  ],
};

async function waitFor(file: string) {
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return fs.existsSync(file);
}

beforeAll(async () => {
  bridge = await startRealBridge();
  root = tempDir("maestro-cli-missions-");
  project = path.join(root, "api");
  fs.mkdirSync(project);
  await bridge.services.agents.create({ name: "api", folder: project, provider: "simulator" });
  fs.writeFileSync(path.join(root, "plan.json"), JSON.stringify(plan));
  fs.writeFileSync(
    path.join(root, "cycle.json"),
    JSON.stringify({ ...plan, features: [{ ...plan.features[0], dependsOn: ["auth-impl"] }, ...plan.features.slice(1)] }),
  );
});
afterAll(async () => {
  await bridge.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("maestro init and mission", () => {
  it("init makes the reference's .maestro/ in the agent's folder, once", async () => {
    const r = await bridge.cli(["init", "--agent", "api"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ok] Initialized project bootstrap");
    expect(fs.readFileSync(path.join(project, ".maestro/config.yaml"), "utf8")).toContain("defaultWorkflow: plan-implement");
    expect(fs.readFileSync(path.join(project, ".gitignore"), "utf8")).toBe(
      "# Maestro runtime state\n.maestro/handoffs/\n.maestro/missions/\n.maestro/sessions/\n",
    );
    const again = json((await bridge.cli(["init", "--agent", "api", "--json"])).stdout);
    expect(again.created).toEqual([]);
  });

  it("create from a plan file: its .maestro id, and the reference's files on disk", async () => {
    const r = await bridge.cli(["mission", "create", "--file", path.join(root, "plan.json"), "--agent", "api"]);
    expect(r.code, r.stderr).toBe(0);
    refId = /Mission created: (\S+)/.exec(r.stdout)![1]!;
    expect(refId).toMatch(/^\d{4}-\d{2}-\d{2}-\d{3}$/);
    expect(r.stdout).toContain("  Status: draft\n  Milestones: 2\n  Features: 3");
    const file = path.join(project, ".maestro/missions", refId, "features/auth-impl.json");
    expect(await waitFor(file)).toBe(true);
    expect(json(fs.readFileSync(file, "utf8"))).toMatchObject({
      id: "auth-impl",
      missionId: refId,
      agentType: "simulator",
      status: "pending",
    });
  });

  it("a plan with a cycle is refused with the cycle named", async () => {
    const r = await bridge.cli(["mission", "create", "--file", path.join(root, "cycle.json"), "--agent", "api"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Dependency cycle: auth-plan → auth-impl → auth-plan.");
    const missing = await bridge.cli(["mission", "create", "--file", path.join(root, "nope.json"), "--agent", "api"]);
    expect(missing.code).toBe(4);
  });

  it("list, show, feature list: by .maestro id or --mission", async () => {
    const list = await bridge.cli(["mission", "list"]);
    expect(list.stdout).toMatch(new RegExp(`${refId}\\s+draft\\s+0/3\\s+api\\s+Add authentication`));
    const show = await bridge.cli(["mission", "show", refId]);
    expect(show.stdout).toContain("2. [GATE] review");
    expect(show.stdout).toContain("   - auth-impl  pending  Implement the auth flow  ← auth-plan");
    const features = json((await bridge.cli(["feature", "list", "--mission", refId, "--json"])).stdout);
    expect(features).toMatchObject({ total: 3, filtered: 3 });
    expect(features.features.map((f: { key: string }) => f.key)).toEqual(["auth-plan", "auth-impl", "auth-review"]);
    const unknown = await bridge.cli(["mission", "show", "2001-01-01-001", "--json"]);
    expect(unknown.code).toBe(4);
    expect(json(unknown.stdout)).toMatchObject({ success: false, code: "MISSION_NOT_FOUND" });
  });

  it("feature prompt prints the worker prompt between the reference's markers", async () => {
    const r = await bridge.cli(["feature", "prompt", refId, "auth-impl"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("[ok] Worker prompt generated for: auth-impl\n  Agent type: simulator\n");
    expect(r.stdout).toContain("--- PROMPT BEGIN ---\n\n<!-- maestro:mission-worker -->\n# Worker Assignment: Implement the auth flow");
    expect(r.stdout.trimEnd().endsWith("--- PROMPT END ---")).toBe(true);
  });

  it("feature update --status review (the reference's habit) says the feature is pending: a running worker verifies here", async () => {
    const r = await bridge.cli(["feature", "update", refId, "auth-plan", "--status", "review"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      "[ok] Feature updated: auth-plan\n  Status: pending\n  (review needs a running worker: the mission runs it again)\n  Title: Plan the auth flow\n",
    );
  });

  it("validate update by the reference's assertion id; validate show", async () => {
    const r = await bridge.cli([
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
    const shown = json((await bridge.cli(["validate", "show", refId, "--json"])).stdout);
    expect(shown.assertions).toMatchObject([{ key: "auth-login-works", status: "passed", evidence: "npm test: 3 passed" }]);
    const bad = await bridge.cli(["validate", "update", refId, "no-such-thing", "--status", "passed"]);
    expect(bad.code).toBe(4);
    const usage = await bridge.cli(["validate", "update", refId, "auth-login-works"]);
    expect([usage.code, usage.stderr]).toEqual([2, "maestro: --status (or --result) is required.\n"]);
  });

  it("checkpoints: save, list, restore", async () => {
    const saved = json((await bridge.cli(["checkpoint", "save", refId, "--label", "before", "--json"])).stdout);
    expect(saved).toMatchObject({ label: "before", reason: "manual" });
    const listed = json((await bridge.cli(["checkpoint", "list", "--mission", refId, "--json"])).stdout);
    expect(listed.checkpoints.map((c: { id: string }) => c.id)).toContain(saved.id);
    const restored = await bridge.cli(["checkpoint", "restore", refId]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`[ok] Checkpoint restored: ${saved.id}`);
  });

  it("mission-control --json is the reference's snapshot; --preview one frame", async () => {
    const snap = json((await bridge.cli(["mission-control", "--json"])).stdout);
    expect(snap).toMatchObject({
      mode: "mission",
      missionId: refId,
      missionTitle: "Add authentication",
      featureProgress: { done: 0, total: 3 },
    });
    const preview = await bridge.cli(["mission-control", "--preview"]);
    expect(preview.stdout).toContain(`Mission Control — Add authentication (${refId})`);
    expect(preview.stdout).toContain("2. [GATE] review");
    const both = await bridge.cli(["mission-control", "--json", "--preview"]);
    expect(both.code).toBe(2);
  });
});

describe("maestro handoff", () => {
  let handoffId = "";

  it("create with the reference's flags prints its create output and the UKI string", async () => {
    const r = await bridge.cli([
      "handoff",
      "create",
      "--mission",
      refId,
      "--feature",
      "auth-impl",
      "--summary",
      "Login form done",
      "--next-action",
      "review_login",
      "--completed",
      "login_form",
      "--validation",
      "tests_green",
      "--decision",
      "use_jwt",
      "keep_sessions_stateless",
      "--confidence-work",
      "0.9",
    ]);
    expect(r.code, r.stderr).toBe(0);
    handoffId = /Handoff created: (\S+)/.exec(r.stdout)![1]!;
    expect(r.stdout).toContain("  Mode: execute\n");
    const uki = r.stdout.trimEnd().split("\n").at(-1)!;
    expect(uki).toMatch(/^MODE-execute\|CURRENT_STATE-execute_in_progress\|SESSION_CORE-auth-impl\|/);
    expect(uki).toContain(`|MAESTRO_REFS-mission_${refId.replace(/-/g, "_")}-feature_auth_impl|DECISIONS-use_jwt-keep_sessions_stateless|`);
    expect(uki).toContain("|COMPLETED_WORK-login_form|VALIDATION-tests_green|");
    expect(uki.endsWith("|NEXT_ACTION-review_login|CS-work_0.9|SUMMARY-Login form done")).toBe(true);
    expect(await waitFor(path.join(project, ".maestro/handoffs", `${handoffId}.json`))).toBe(true);
  });

  it("inside a mission's worker a bare create lands on the feature that worker runs", async () => {
    const row = (await bridge.services.missions.list()).find((m) => m.refId === refId)!;
    fs.mkdirSync(path.join(root, "wt1"));
    const worker = await bridge.services.agents.create({ name: "worker-1", folder: path.join(root, "wt1"), provider: "simulator" });
    // What the executor records when it starts a worker (no approval here: the rows are set as it would set them).
    await bridge.services.db.mission.update({ where: { id: row.id }, data: { status: "executing" } });
    await bridge.services.db.missionFeature.update({
      where: { missionId_key: { missionId: row.id, key: "auth-plan" } },
      data: { status: "in-progress", worktreeAgentId: worker.id },
    });
    try {
      const r = await bridge.cli(
        ["handoff", "create", "--summary", "Plan agreed", "--next-action", "build", "--confidence-summary", "0.8", "--json"],
        {
          MAESTRO_AGENT_ID: worker.id,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toMatchObject({ missionId: row.id, featureKey: "auth-plan", fields: { sessionCore: "auth-plan" } });
    } finally {
      await bridge.services.db.missionFeature.update({
        where: { missionId_key: { missionId: row.id, key: "auth-plan" } },
        data: { status: "pending", worktreeAgentId: null },
      });
      await bridge.services.db.mission.update({ where: { id: row.id }, data: { status: "draft" } });
    }
  });

  it("create without the required fields is a usage error, as the reference's", async () => {
    const r = await bridge.cli(["handoff", "create", "--agent", "api", "--summary", "x", "--next-action", "y"]);
    expect([r.code, r.stderr]).toEqual([2, "maestro: At least one of --confidence-work or --confidence-summary is required.\n"]);
    const both = await bridge.cli([
      "handoff",
      "create",
      "--agent",
      "api",
      "--summary",
      "x",
      "--next-action",
      "y",
      "--confidence-work",
      "1",
      "--uki",
      "--paste",
    ]);
    expect(both.stderr).toContain("mutually exclusive");
  });

  it("list, pickup --paste (the reference's preamble), claim, complete", async () => {
    const list = await bridge.cli(["handoff", "list", "--mission", refId]);
    expect(list.stdout).toMatch(new RegExp(`${handoffId}\\s+pending\\s+execute\\s+auth-impl\\s+Login form done`));
    const picked = await bridge.cli(["handoff", "pickup", handoffId, "--paste"]);
    expect(picked.code, picked.stderr).toBe(0);
    expect(picked.stdout).toMatch(
      /^Use the following UKI as the canonical handoff packet\. Interpret each block literally and continue from NEXT_ACTION\.\n\nMODE-execute\|/,
    );
    const claimed = json((await bridge.cli(["handoff", "claim", handoffId, "--agent", "web", "--json"])).stdout);
    expect(claimed).toMatchObject({ id: handoffId, claimedBy: "web" });
    const done = json((await bridge.cli(["handoff", "complete", handoffId, "--json"])).stdout);
    expect(done.status).toBe("completed");
  });

  it("import takes the reference README's UKI string (a paste preamble before it is fine) and round-trips it", async () => {
    const uki = fs.readFileSync(path.join(FIXTURES, "uki/readme-execute.uki"), "utf8").trim();
    const r = await bridge.cli(["handoff", "import", `UKI v5.4 string:\n${uki}`, "--agent", "api", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const h = json(r.stdout);
    expect(h.uki).toBe(uki);
    expect(h.fields).toMatchObject({ blindSpot: "green_tests_masked_contract_drift", metaphor: "baton_pass_snapshot" });
    const shown = await bridge.cli(["handoff", "show", h.id]);
    expect(shown.stdout.trim()).toBe(uki);
  });
});

describe("maestro memory and import", () => {
  it("memory-correct, memory-learn, memory-compile (the reference's Relevant Memory section)", async () => {
    expect((await bridge.cli(["memory-correct", "use npm ci, never npm install", "--agent", "api"])).code).toBe(0);
    expect((await bridge.cli(["memory-learn", "--content", "the auth tests need the fake clock", "--agent", "api"])).code).toBe(0);
    const r = await bridge.cli(["memory-compile", "--agent", "api"]);
    expect(r.stdout).toContain("## Relevant Memory");
    expect(r.stdout).toContain("- **[HARD]** use npm ci, never npm install");
    expect(r.stdout).toContain("<memory-learnings>\n- the auth tests need the fake clock\n</memory-learnings>");
    const list = json((await bridge.cli(["memory-list", "--agent", "api", "--json"])).stdout);
    expect(list.map((m: { kind: string }) => m.kind).sort()).toEqual(["correction", "learning"]);
  });

  it("mission import reads a .maestro/ made by the reference CLI", async () => {
    const other = path.join(root, "web");
    fs.mkdirSync(other);
    fs.cpSync(path.join(FIXTURES, ".maestro"), path.join(other, ".maestro"), { recursive: true });
    await bridge.services.agents.create({ name: "web", folder: other, provider: "simulator" });
    const r = await bridge.cli(["mission", "import", "--agent", "web", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ imported: ["2026-04-09-001"], skipped: [] });
    const show = json((await bridge.cli(["mission", "show", "2026-04-09-001", "--json"])).stdout);
    expect(show.milestones.map((m: { key: string; status: string }) => [m.key, m.status])).toEqual([
      ["plan", "sealed"],
      ["implement", expect.any(String)],
    ]);
  });
});

describe("a mission's .maestro id is looked up in the current project", () => {
  const NO_AGENT = { MAESTRO_AGENT_ID: "" };
  let shop: { id: string; missionId: string };
  let apiMissionId = "";

  beforeAll(async () => {
    // A second project's first mission of the day: the same .maestro id as api's.
    const folder = path.join(root, "shop");
    fs.mkdirSync(folder);
    const agent = await bridge.services.agents.create({ name: "shop", folder, provider: "simulator" });
    const r = await bridge.cli(["mission", "create", "--file", path.join(root, "plan.json"), "--agent", "shop", "--json"], NO_AGENT);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).refId).toBe(refId);
    shop = { id: agent.id, missionId: json(r.stdout).id };
    apiMissionId = (await bridge.services.missions.list()).find((m) => m.refId === refId && m.id !== shop.missionId)!.id;
  });

  it("outside any agent, an id two projects use is ambiguous, naming both", async () => {
    const r = await bridge.cli(["mission", "approve", refId, "--json"], NO_AGENT);
    expect(r.code).toBe(2);
    const out = json(r.stdout);
    expect(out).toMatchObject({ success: false, code: "AMBIGUOUS" });
    expect(out.error).toContain(`${refId} of api (${apiMissionId})`);
    expect(out.error).toContain(`${refId} of shop (${shop.missionId})`);
    // Nothing was approved.
    expect((await bridge.services.missions.get(shop.missionId)).status).toBe("draft");
    expect((await bridge.services.missions.get(apiMissionId)).status).toBe("draft");
    // The mission's own id is one mission wherever it runs.
    expect(json((await bridge.cli(["mission", "show", shop.missionId, "--json"], NO_AGENT)).stdout).id).toBe(shop.missionId);
  });

  it("inside an agent (or a worktree agent of it) it is that project's mission", async () => {
    const inShop = await bridge.cli(["mission", "show", refId, "--json"], { MAESTRO_AGENT_ID: shop.id });
    expect(inShop.code, inShop.stderr).toBe(0);
    expect(json(inShop.stdout).id).toBe(shop.missionId);
    const api = (await bridge.services.agents.list()).find((a) => a.name === "api")!;
    fs.mkdirSync(path.join(root, "api-wt"));
    const wt = await bridge.services.agents.create({ name: "api-wt", folder: path.join(root, "api-wt"), provider: "simulator" });
    await bridge.services.db.agent.update({ where: { id: wt.id }, data: { parentId: api.id } });
    const inWorktree = await bridge.cli(["feature", "list", "--mission", refId, "--json"], { MAESTRO_AGENT_ID: wt.id });
    expect(inWorktree.code, inWorktree.stderr).toBe(0);
    const r = await bridge.cli(
      [
        "handoff",
        "create",
        "--mission",
        refId,
        "--feature",
        "auth-impl",
        "--summary",
        "Shop login",
        "--next-action",
        "x",
        "--confidence-work",
        "1",
        "--json",
      ],
      { MAESTRO_AGENT_ID: wt.id },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ missionId: apiMissionId, featureKey: "auth-impl" });
    const byFlag = await bridge.cli(["handoff", "list", "--agent", "shop", "--mission", refId, "--json"], { MAESTRO_AGENT_ID: wt.id });
    expect([byFlag.code, json(byFlag.stdout)]).toEqual([0, []]);
  });

  it("a project without it says where it is; the bridge refuses a mission of another project than the agent's", async () => {
    fs.mkdirSync(path.join(root, "empty"));
    const empty = await bridge.services.agents.create({ name: "empty", folder: path.join(root, "empty"), provider: "simulator" });
    const r = await bridge.cli(["mission", "show", refId, "--json"], { MAESTRO_AGENT_ID: empty.id });
    expect(r.code).toBe(4);
    const error: string = json(r.stdout).error;
    expect(error).toMatch(new RegExp(`^no mission "${refId}" in empty's project; other projects have .*: use its id\\.$`));
    expect(error).toContain(`${refId} of shop (${shop.missionId})`);
    expect(error).toContain(`${refId} of api (${apiMissionId})`);
    const uki = fs.readFileSync(path.join(FIXTURES, "uki/readme-execute.uki"), "utf8").trim();
    const mixed = await bridge.cli(["handoff", "import", uki, "--agent", "api", "--mission", shop.missionId], NO_AGENT);
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toContain(`Mission ${refId} belongs to another project than that agent's.`);
    expect(await bridge.services.db.missionHandoff.count({ where: { missionId: shop.missionId } })).toBe(0);
  });
});
