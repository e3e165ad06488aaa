import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, handoffCreateArgs, json, missionsCliSuite, waitFor } from "./testing/missions-cli";

/**
 * The checkpoint, handoff, memory and import commands through the real bin against one real
 * bridge (see testing/missions-cli.ts), on a draft mission made from the plan file.
 */
const suite = missionsCliSuite();
let refId = "";

beforeAll(async () => {
  refId = await suite.createMission();
});

describe("maestro checkpoint", () => {
  it("checkpoints: save, list, restore", async () => {
    const saved = json((await suite.bridge.cli(["checkpoint", "save", refId, "--label", "before", "--json"])).stdout);
    expect(saved).toMatchObject({ label: "before", reason: "manual" });
    const listed = json((await suite.bridge.cli(["checkpoint", "list", "--mission", refId, "--json"])).stdout);
    expect(listed.checkpoints.map((c: { id: string }) => c.id)).toContain(saved.id);
    const restored = await suite.bridge.cli(["checkpoint", "restore", refId]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`[ok] Checkpoint restored: ${saved.id}`);
  });
});

describe("maestro handoff", () => {
  let handoffId = "";

  it("create with the reference's flags prints its create output and the UKI string", async () => {
    const r = await suite.bridge.cli([
      ...handoffCreateArgs(refId, "Login form done", "review_login"),
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
    expect(await waitFor(path.join(suite.project, ".maestro/handoffs", `${handoffId}.json`))).toBe(true);
  });

  it("inside a mission's worker a bare create lands on the feature that worker runs", async () => {
    const row = (await suite.bridge.services.missions.list()).find((m) => m.refId === refId)!;
    fs.mkdirSync(path.join(suite.root, "wt1"));
    const worker = await suite.bridge.services.agents.create({
      name: "worker-1",
      folder: path.join(suite.root, "wt1"),
      provider: "simulator",
    });
    // What the executor records when it starts a worker (no approval here: the rows are set as it would set them).
    await suite.bridge.services.db.mission.update({ where: { id: row.id }, data: { status: "executing" } });
    await suite.bridge.services.db.missionFeature.update({
      where: { missionId_key: { missionId: row.id, key: "auth-plan" } },
      data: { status: "in-progress", worktreeAgentId: worker.id },
    });
    try {
      const r = await suite.bridge.cli(
        ["handoff", "create", "--summary", "Plan agreed", "--next-action", "build", "--confidence-summary", "0.8", "--json"],
        {
          MAESTRO_AGENT_ID: worker.id,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toMatchObject({ missionId: row.id, featureKey: "auth-plan", fields: { sessionCore: "auth-plan" } });
    } finally {
      await suite.bridge.services.db.missionFeature.update({
        where: { missionId_key: { missionId: row.id, key: "auth-plan" } },
        data: { status: "pending", worktreeAgentId: null },
      });
      await suite.bridge.services.db.mission.update({ where: { id: row.id }, data: { status: "draft" } });
    }
  });

  it("create without the required fields is a usage error, as the reference's", async () => {
    const r = await suite.bridge.cli(["handoff", "create", "--agent", "api", "--summary", "x", "--next-action", "y"]);
    expect([r.code, r.stderr]).toEqual([2, "maestro: At least one of --confidence-work or --confidence-summary is required.\n"]);
    const both = await suite.bridge.cli([
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
    const list = await suite.bridge.cli(["handoff", "list", "--mission", refId]);
    expect(list.stdout).toMatch(new RegExp(`${handoffId}\\s+pending\\s+execute\\s+auth-impl\\s+Login form done`));
    const picked = await suite.bridge.cli(["handoff", "pickup", handoffId, "--paste"]);
    expect(picked.code, picked.stderr).toBe(0);
    expect(picked.stdout).toMatch(
      /^Use the following UKI as the canonical handoff packet\. Interpret each block literally and continue from NEXT_ACTION\.\n\nMODE-execute\|/,
    );
    const claimed = json((await suite.bridge.cli(["handoff", "claim", handoffId, "--agent", "web", "--json"])).stdout);
    expect(claimed).toMatchObject({ id: handoffId, claimedBy: "web" });
    const done = json((await suite.bridge.cli(["handoff", "complete", handoffId, "--json"])).stdout);
    expect(done.status).toBe("completed");
  });

  it("import takes the reference README's UKI string (a paste preamble before it is fine) and round-trips it", async () => {
    const uki = fs.readFileSync(path.join(FIXTURES, "uki/readme-execute.uki"), "utf8").trim();
    const r = await suite.bridge.cli(["handoff", "import", `UKI v5.4 string:\n${uki}`, "--agent", "api", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const h = json(r.stdout);
    expect(h.uki).toBe(uki);
    expect(h.fields).toMatchObject({ blindSpot: "green_tests_masked_contract_drift", metaphor: "baton_pass_snapshot" });
    const shown = await suite.bridge.cli(["handoff", "show", h.id]);
    expect(shown.stdout.trim()).toBe(uki);
  });
});

describe("maestro memory and import", () => {
  it("memory-correct, memory-learn, memory-compile (the reference's Relevant Memory section)", async () => {
    expect((await suite.bridge.cli(["memory-correct", "use npm ci, never npm install", "--agent", "api"])).code).toBe(0);
    expect((await suite.bridge.cli(["memory-learn", "--content", "the auth tests need the fake clock", "--agent", "api"])).code).toBe(0);
    const r = await suite.bridge.cli(["memory-compile", "--agent", "api"]);
    expect(r.stdout).toContain("## Relevant Memory");
    expect(r.stdout).toContain("- **[HARD]** use npm ci, never npm install");
    expect(r.stdout).toContain("<memory-learnings>\n- the auth tests need the fake clock\n</memory-learnings>");
    const list = json((await suite.bridge.cli(["memory-list", "--agent", "api", "--json"])).stdout);
    expect(list.map((m: { kind: string }) => m.kind).sort()).toEqual(["correction", "learning"]);
  });

  it("mission import reads a .maestro/ made by the reference CLI", async () => {
    const other = path.join(suite.root, "web");
    fs.mkdirSync(other);
    fs.cpSync(path.join(FIXTURES, ".maestro"), path.join(other, ".maestro"), { recursive: true });
    await suite.bridge.services.agents.create({ name: "web", folder: other, provider: "simulator" });
    const r = await suite.bridge.cli(["mission", "import", "--agent", "web", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ imported: ["2026-04-09-001"], skipped: [] });
    const show = json((await suite.bridge.cli(["mission", "show", "2026-04-09-001", "--json"])).stdout);
    expect(show.milestones.map((m: { key: string; status: string }) => [m.key, m.status])).toEqual([
      ["plan", "sealed"],
      ["implement", expect.any(String)],
    ]);
  });
});
