// kill -9 mid-mission: a real process runs the service graph (exec-child.testkit.ts) and is
// killed with SIGKILL while workers run and one verifies; the graph built again on the same data
// dir, as the bridge starts, finds the mission paused, its features cut off mid-turn pending, the
// one cut off verifying still in review and its finished ones done, and Resume runs the rest:
// every feature merged once, every turn that ended run once.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "../../db";
import { readServicesEnv } from "../../env";
import { silentLogger } from "../../logger";
import { createServices } from "..";
import { tempDir } from "../../testing/harness";
import { git, gitProject, until } from "./exec.testkit";

const dataDir = tempDir("maestro-mission-restart-home-");
const simHome = tempDir("maestro-mission-restart-sim-");
const folder = gitProject("maestro-mission-restart-");
afterAll(() => {
  for (const d of [dataDir, simHome, folder, `${folder}.worktrees`]) fs.rmSync(d, { recursive: true, force: true });
});

const plan = {
  title: "Restart",
  milestones: [{ id: "all", title: "All" }],
  features: ["a", "b", "c", "d", "e", "f"].map((id, i) => ({
    id,
    milestoneId: "all",
    title: `Feature ${id}`,
    // a, b first; then pairs, each on the one before: the kill lands with some done and some running.
    dependsOn: i < 2 ? [] : [["a", "b", "c", "d"][i - 2]!],
    // The sleep holds each feature in review a while: the kill lands on one there.
    verificationSteps: [`\`test -f ${id}.txt\``, "`sleep 2`"],
    fulfills: [`${id}-ok`],
  })),
};

test("SIGKILL mid-mission: back paused, cut-off features pending (in review: kept), finished ones done, Resume completes with each feature merged once and each ended turn run once", async () => {
  const env = { ...process.env, MAESTRO_SIM_HOME: simHome, MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "120" };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "server/services/missions/exec-child.testkit.ts", dataDir, folder, JSON.stringify(plan)],
    {
      cwd: path.resolve(import.meta.dirname, "../../.."),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise((r) => child.once("exit", r));
  const db = openDatabase(dataDir);
  try {
    const missionId = (
      await until(
        "the child to approve the mission",
        async () => out,
        (o) => o.includes("missionId") || child.exitCode !== null,
        60_000,
      ).then((o) => JSON.parse(o.split("\n")[0]!) as { missionId: string })
    ).missionId;
    // Kill it with some features done and one verifying (its turn over).
    await until(
      "features done and one in review",
      () => db.missionFeature.findMany({ where: { missionId }, select: { status: true } }),
      (fs_) => fs_.some((f) => f.status === "done") && fs_.some((f) => f.status === "review"),
      90_000,
    );
    child.kill("SIGKILL");
    await exited;
    // The killed process's simulators finish or die on their broken pipes.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await db.missionFeature.findMany({ where: { missionId }, orderBy: { sortOrder: "asc" } });
    const doneBefore = before.filter((f) => f.status === "done").map((f) => f.key);
    const cutMidTurn = new Set(before.filter((f) => f.status === "in-progress").map((f) => f.key));
    const inReview = before.filter((f) => f.status === "review").map((f) => f.key);
    expect(inReview.length).toBeGreaterThan(0);

    // Started again, as the bridge starts.
    process.env.MAESTRO_SIM_HOME = simHome;
    process.env.MAESTRO_SIM_FAULT = "slow";
    process.env.MAESTRO_SIM_DELAY_MS = "20";
    const services = createServices(db, { dataDir, env: readServicesEnv(), logger: silentLogger });
    try {
      await services.turns.recoverInterrupted();
      await services.missions.recoverInterrupted();
      let v = await services.missions.get(missionId);
      expect(v.status).toBe("paused");
      expect(v.statusDetail).toBe("The bridge restarted mid-mission: Resume to go on.");
      expect(v.features.every((f) => f.status === "done" || f.status === "pending" || f.status === "review")).toBe(true);
      for (const k of doneBefore) expect(v.features.find((f) => f.key === k)!.status).toBe("done");
      // Cut off while verifying: kept in review (or done, had its merge landed before the kill).
      for (const k of inReview) expect(["review", "done"]).toContain(v.features.find((f) => f.key === k)!.status);
      const mission = await db.agent.findUniqueOrThrow({ where: { id: v.missionAgentId! } });
      // Every feature marked done is merged, exactly once.
      const merges = () => git(mission.folder, "log", "--merges", "--format=%s").split("\n").filter(Boolean);
      expect(merges()).toHaveLength(v.features.filter((f) => f.status === "done").length);

      await services.missions.resume(missionId);
      v = await until(
        "the mission to complete",
        () => services.missions.get(missionId),
        (x) => x.status === "completed" || x.status === "paused",
        120_000,
      );
      expect(v.status).toBe("completed");
      expect(merges().sort()).toEqual(plan.features.map((f) => `Merge feature ${f.id}: Feature ${f.id}`).sort());
      for (const k of doneBefore) expect(v.features.find((f) => f.key === k)!.attempts).toBe(1);
      // One turn per feature, but for those cut off mid-turn (run again): one feature-started line each.
      const started = (await db.missionEvent.findMany({ where: { missionId, type: "feature-started" } })).map(
        (e) => (JSON.parse(e.payload) as { featureKey: string }).featureKey,
      );
      for (const f of v.features) {
        const runs = cutMidTurn.has(f.key) ? 2 : 1;
        expect([f.key, started.filter((k) => k === f.key).length]).toEqual([f.key, runs]);
        expect([f.key, f.attempts]).toEqual([f.key, runs]);
      }
      for (const f of plan.features) expect(fs.readFileSync(path.join(folder, `${f.id}.txt`), "utf8")).toBe(`${f.id}: Feature ${f.id}\n`);
    } finally {
      await services.shutdown();
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await db.$disconnect();
    delete process.env.MAESTRO_SIM_FAULT;
    delete process.env.MAESTRO_SIM_DELAY_MS;
    if (err && !out) console.error(err);
  }
}, 300_000);
