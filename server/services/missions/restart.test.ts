// kill -9 mid-mission: a real process runs the service graph (exec-child.testkit.ts) and is
// killed with SIGKILL while workers run; the graph built again on the same data dir, as the
// bridge starts, finds the mission paused, its cut-off features pending and its finished ones
// done, and Resume runs the rest: every feature merged once, nothing done twice.
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
    verificationSteps: [`\`test -f ${id}.txt\``],
    fulfills: [`${id}-ok`],
  })),
};

test("SIGKILL mid-mission: back paused, cut-off features pending, finished ones done, Resume completes with each feature merged once", async () => {
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
    // Kill it with some features done and some in progress.
    await until(
      "features done and running",
      () => db.missionFeature.findMany({ where: { missionId }, select: { status: true } }),
      (fs_) => fs_.some((f) => f.status === "done") && fs_.some((f) => f.status === "in-progress"),
      90_000,
    );
    child.kill("SIGKILL");
    await exited;
    // The killed process's simulators finish or die on their broken pipes.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await db.missionFeature.findMany({ where: { missionId }, orderBy: { sortOrder: "asc" } });
    const doneBefore = before.filter((f) => f.status === "done").map((f) => f.key);
    expect(before.some((f) => f.status === "in-progress")).toBe(true);

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
      expect(v.features.every((f) => f.status === "done" || f.status === "pending")).toBe(true);
      for (const k of doneBefore) expect(v.features.find((f) => f.key === k)!.status).toBe("done");
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
