import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockFile } from "../server/data-lock";
import { maestro } from "./testing/fake-bridge";
import { liveMaestro, makeAgent, parseLines, processesIn, startRealBridge, THREE, tmp, withServices } from "./testing/autorun-fixtures";

/**
 * `maestro run-doc` / `playbook run` as a script uses them: the real bin as a child process, real
 * simulator turns, real SQLite and files, against a real bridge (its HTTP server, routes, services
 * and token; no Next) and headless (no bridge: the CLI runs the services itself, under the lock).
 */
const simHome = tmp("maestro-cli-sim-");
const dirs: string[] = [simHome];
const env = { MAESTRO_SIM_HOME: simHome, NO_COLOR: "1" };
const run = (dataDir: string, args: string[]) => maestro(["--data-dir", dataDir, ...args], env);

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const types = (lines: { type: string }[]) => lines.map((l) => l.type);
const ONE_DOC = [
  "start",
  "document_start",
  "task_start",
  "task_complete",
  "task_start",
  "task_complete",
  "task_start",
  "task_complete",
  "document_complete",
  "complete",
];

/** The must-show run: every event in order, each line one object, `type` then `timestamp`, the file ticked. */
function expectThreeTaskRun(stdout: string, agent: { id: string; name: string }, doc: string) {
  const lines = parseLines(stdout);
  expect(types(lines)).toEqual(ONE_DOC);
  let t = 0;
  for (const l of lines) {
    expect(Object.keys(l).slice(0, 2)).toEqual(["type", "timestamp"]);
    expect(l.timestamp).toBeGreaterThanOrEqual(t);
    t = l.timestamp;
  }
  expect(lines[0]).toMatchObject({ playbook: { name: "plan" }, session: { id: agent.id, name: agent.name } });
  expect(lines[1]).toMatchObject({ document: "plan", index: 0, taskCount: 3 });
  expect(lines.filter((l) => l.type === "task_start").map((l) => [l.taskIndex, l.task])).toEqual([
    [0, "write alpha.txt"],
    [1, "second task"],
    [2, "third task"],
  ]);
  for (const l of lines.filter((x) => x.type === "task_complete")) {
    expect(l).toMatchObject({ document: "plan", success: true, status: "done" });
    expect(typeof l.usageStats.totalCostUsd).toBe("number");
  }
  expect(lines.at(-1)).toMatchObject({ type: "complete", success: true, totalTasksCompleted: 3, runId: lines[0]!.runId });
  expect(doc).toBe("# Plan\n\n- [x] write alpha.txt\n- [x] second task\n- [x] third task\n");
  return lines;
}

describe("against a real bridge", () => {
  let home: string;
  let bridge: Awaited<ReturnType<typeof startRealBridge>>;
  let made: Awaited<ReturnType<typeof makeAgent>>;

  beforeAll(async () => {
    home = tmp("maestro-cli-bridge-");
    dirs.push(home);
    made = await makeAgent(home, "builder", { "plan.md": THREE, "slow.md": "- [ ] wait\n" });
    dirs.push(made.project);
    bridge = await startRealBridge(home);
  }, 60_000);
  afterAll(async () => {
    await bridge.close();
  });

  it("run-doc on a 3-task document with --json: every event in order, exit 0", async () => {
    const r = await run(home, ["run-doc", "plan.md", "-a", "builder", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = expectThreeTaskRun(r.stdout, made.agent, made.doc("plan.md"));
    // The bridge drove it (no headless lock taken by the CLI), and it is stored as done.
    const stored = await bridge.db.autorunRun.findUniqueOrThrow({ where: { id: lines[0]!.runId } });
    expect(stored.status).toBe("done");
  }, 60_000);

  it("an agent with an active run: error{AGENT_BUSY}, exit 1; controls act on that run", async () => {
    await bridge.services.agents.updateSettings(made.agent.id, { env: { MAESTRO_SIM_FAULT: "hang" } });
    const busy = await bridge.services.autorun.start({ agentId: made.agent.id, config: { documents: [{ filename: "slow.md" }] } });
    const r = await run(home, ["run-doc", "plan.md", "-a", "builder", "--json"]);
    expect(r.code).toBe(1);
    const [line, ...rest] = parseLines(r.stdout);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ type: "error", code: "AGENT_BUSY" });
    expect(Object.keys(line!).at(-1)).toBe("timestamp");

    const stop = await run(home, ["abort-auto-run", "-a", "builder", "--json"]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(JSON.parse(stop.stdout)).toEqual({ success: true, agentId: made.agent.id, runId: busy.id, status: "aborted" });
    const none = await run(home, ["stop-auto-run", "-a", "builder"]);
    expect(none.code).toBe(4);
    expect(none.stderr).toBe("maestro: builder has no active Auto Run.\n");
    await bridge.services.agents.updateSettings(made.agent.id, { env: {} });
  }, 60_000);

  it("--loop --max-loops 2 --reset-on-completion: loop_complete between the passes only, the original left unticked", async () => {
    fs.writeFileSync(path.join(made.folder, "daily.md"), "- [ ] first\n- [ ] second\n");
    const r = await run(home, ["run-doc", "daily", "-a", "builder", "--json", "--max-loops", "2", "--reset-on-completion"]);
    expect(r.code, r.stderr).toBe(0);
    const pass = ["document_start", "task_start", "task_complete", "task_start", "task_complete", "document_complete"];
    const lines = parseLines(r.stdout);
    expect(types(lines)).toEqual(["start", ...pass, "loop_complete", ...pass, "complete"]);
    expect(lines.find((l) => l.type === "loop_complete")).toMatchObject({ iteration: 1, tasksCompleted: 2 });
    expect(lines.at(-1)).toMatchObject({ success: true, totalTasksCompleted: 4 });
    expect(made.doc("daily.md")).toBe("- [ ] first\n- [ ] second\n");
    const bad = await run(home, ["run-doc", "daily", "-a", "builder", "--json", "--max-loops", "0"]);
    expect(bad.code).toBe(2);
    expect(parseLines(bad.stdout)).toEqual([expect.objectContaining({ type: "error", code: "INVALID_MAX_LOOPS" })]);
    const ghost = await run(home, ["run-doc", "daily", "-a", "ghost", "--json"]);
    expect(ghost.code).toBe(4);
    expect(parseLines(ghost.stdout)).toEqual([expect.objectContaining({ type: "error", code: "AGENT_NOT_FOUND" })]);
  }, 60_000);

  it("list runs and show run agree with the stream's totals", async () => {
    const listed = JSON.parse((await run(home, ["list", "runs", "-a", "builder", "--json"])).stdout);
    expect(listed.map((r: { status: string; tasksDone: number }) => [r.status, r.tasksDone])).toEqual([
      ["done", 4],
      ["aborted", 0],
      ["done", 3],
    ]);
    const shown = await run(home, ["show", "run", listed[2].id.slice(0, 10), "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).run).toMatchObject({ id: listed[2].id, tasksDone: 3, status: "done" });
  });

  it("a document outside the agent's Auto Run folder is a usage error naming the folder", async () => {
    const outside = path.join(made.project, "notes.md");
    fs.writeFileSync(outside, "- [ ] x\n");
    const r = await run(home, ["run-doc", outside, "-a", "builder"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `maestro: ${outside} is not inside builder's Auto Run folder (${made.folder.replace(/^\/tmp/, fs.realpathSync("/tmp"))}). Move or copy it there, or name a document of that folder.\n`,
    );
  });
});

describe("headless (no bridge for the data dir)", () => {
  it("the CI shape: a fresh data dir, run-doc --json, exit 0 with complete last, no lock and no process left", async () => {
    const home = tmp("maestro-cli-ci-");
    dirs.push(home);
    const made = await makeAgent(home, "ci", { "plan.md": THREE });
    dirs.push(made.project);
    const r = await run(home, ["run-doc", "plan.md", "-a", "ci", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expectThreeTaskRun(r.stdout, made.agent, made.doc("plan.md"));
    expect(fs.existsSync(lockFile(home))).toBe(false);
    expect(processesIn(made.project)).toEqual([]);
    // The run is in the data dir for the next bridge (or the next command) to show.
    const listed = JSON.parse((await run(home, ["list", "runs", "--json"])).stdout);
    expect(listed).toEqual([expect.objectContaining({ status: "done", tasksDone: 3, agentName: "ci" })]);
    // Errors headless are the bridge's, with its exit codes: not found 4, bad input 2.
    const missing = await run(home, ["show", "run", "cmnosuchrun0000000000000"]);
    expect([missing.code, missing.stderr]).toEqual([4, "maestro: That run no longer exists.\n"]);
    const gone = await run(home, ["reset-auto-run-tasks", "nope.md", "-a", "ci", "--json"]);
    expect(gone.code).toBe(4);
    expect(JSON.parse(gone.stdout)).toMatchObject({ success: false, code: "NOT_FOUND" });
    const up = await run(home, ["reset-auto-run-tasks", "../plan.md", "-a", "ci"]);
    expect(up.code).toBe(2);
  }, 60_000);

  it("playbook import, dry run and run: the same lines the runner's parse gives, then the run's", async () => {
    const home = tmp("maestro-cli-pb-");
    dirs.push(home);
    const made = await makeAgent(home, "pb", { "plan.md": THREE });
    dirs.push(made.project);
    const file = path.join(home, "nightly.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ name: "Nightly", documents: [{ filename: "plan", resetOnCompletion: false }], loopEnabled: false }),
    );
    const imported = await run(home, ["playbook", "import", file, "-a", "pb", "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    const pb = JSON.parse(imported.stdout);
    expect(pb).toMatchObject({ success: true, name: "Nightly", agentId: made.agent.id });

    const manifest = path.join(home, "manifest.json");
    const entry = (id: string, title: string) => ({
      id,
      title,
      documents: [{ filename: "plan", resetOnCompletion: false }],
      loopEnabled: false,
    });
    fs.writeFileSync(manifest, JSON.stringify({ lastUpdated: "2026-02-01", playbooks: [entry("a-one", "One"), entry("b-two", "Two")] }));
    const unpicked = await run(home, ["playbook", "import", manifest, "-a", "pb"]);
    expect(unpicked.code).toBe(2);
    expect(unpicked.stderr).toBe(`maestro: ${manifest} holds 2 playbooks: a-one (One), b-two (Two). Choose one with --pick KEY.\n`);
    const picked = await run(home, ["playbook", "import", manifest, "-a", "pb", "--pick", "b-two", "--json"]);
    expect(picked.code, picked.stderr).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ success: true, name: "Two" });

    const dry = await run(home, ["playbook", "run", "nightly", "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    const preview = parseLines(dry.stdout);
    expect(types(preview)).toEqual([
      "start",
      "document_start",
      "task_preview",
      "task_preview",
      "task_preview",
      "document_complete",
      "complete",
    ]);
    expect(preview[0]).toMatchObject({ playbook: { id: pb.id, name: "Nightly" } });
    expect(preview.at(-1)).toMatchObject({ dryRun: true, wouldProcess: 3 });
    expect(made.doc("plan.md")).toBe(THREE);

    const r = await run(home, ["playbook", "run", pb.id.slice(0, 8), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = parseLines(r.stdout);
    expect(types(lines)).toEqual(ONE_DOC);
    expect(lines[0]).toMatchObject({ playbook: { id: pb.id, name: "Nightly" } });

    const listed = JSON.parse((await run(home, ["list", "playbooks", "-a", "pb", "--json"])).stdout);
    expect(listed.map((p: { name: string }) => p.name).sort()).toEqual(["Nightly", "Two"]);
    expect(listed.find((p: { id: string }) => p.id === pb.id)).toMatchObject({
      name: "Nightly",
      agentName: "pb",
      documents: [{ filename: "plan", resetOnCompletion: false }],
    });
    const exported = await run(home, ["playbook", "export", "Nightly"]);
    expect(JSON.parse(exported.stdout)).toMatchObject({ name: "Nightly", documents: [{ filename: "plan" }], loopEnabled: false });
    const zip = path.join(home, "nightly.maestro-playbook.zip");
    expect((await run(home, ["playbook", "export", "Nightly", "-o", zip])).code).toBe(0);
    expect(fs.readFileSync(zip).subarray(0, 2).toString()).toBe("PK");
    const again = await run(home, ["playbook", "export", "Nightly", "-o", zip]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pick another name/);
    const shown = JSON.parse((await run(home, ["show", "playbook", "Nightly", "--json"])).stdout);
    expect(shown).toMatchObject({ id: pb.id, agentName: "pb", totalTasks: 0, documents: [{ filename: "plan", taskCount: 0 }] });
    const reset = await run(home, ["reset-auto-run-tasks", "plan", "-a", "pb", "--json"]);
    expect(JSON.parse(reset.stdout)).toEqual({ success: true, agentId: made.agent.id, document: "plan.md", reset: 3 });
    expect(made.doc("plan.md")).toBe(THREE);
    expect(fs.existsSync(lockFile(home))).toBe(false);
  }, 90_000);

  it("a failed task ends the stream paused (exit 1); resume-auto-run headless drives the run to its end (exit 0)", async () => {
    const home = tmp("maestro-cli-resume-");
    dirs.push(home);
    const made = await makeAgent(home, "again", { "plan.md": THREE }, { MAESTRO_SIM_FAULT: "auth" });
    dirs.push(made.project);
    const first = await run(home, ["run-doc", "plan.md", "-a", "again", "--json"]);
    expect(first.code).toBe(1);
    const lines = parseLines(first.stdout);
    expect(types(lines)).toEqual(["start", "document_start", "task_start", "task_complete", "halt", "complete"]);
    expect(lines[4]).toMatchObject({ pauseKind: "error", document: "plan" });
    expect(lines[5]).toMatchObject({ success: false, status: "paused" });
    expect(fs.existsSync(lockFile(home))).toBe(false);

    // The paused run keeps the agent busy; headless, no one else could end it, so --wait does not wait.
    const busy = await run(home, ["run-doc", "plan.md", "-a", "again", "--json", "--wait"]);
    expect(busy.code).toBe(1);
    const [refused] = parseLines(busy.stdout);
    expect(refused).toMatchObject({ type: "error", code: "AGENT_BUSY" });
    expect(refused!.message).toMatch(/--wait cannot help headless/);

    await withServices(home, (s) => s.agents.updateSettings(made.agent.id, { env: {} }));
    const resumed = await run(home, ["resume-auto-run", "-a", "again", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rest = parseLines(resumed.stdout);
    expect(types(rest)).toEqual(["start", "resumed", ...ONE_DOC.slice(2)]);
    expect(rest[0]!.runId).toBe(lines[0]!.runId);
    expect(rest.at(-1)).toMatchObject({ success: true, totalTasksCompleted: 3, tasksFailed: 1 });
    expect(made.doc("plan.md")).toBe("# Plan\n\n- [x] write alpha.txt\n- [x] second task\n- [x] third task\n");
  }, 60_000);

  it("Ctrl-C mid-task: exit 130, the run paused (resumable), its attempt settled, the child gone, the lock released", async () => {
    const home = tmp("maestro-cli-int-");
    dirs.push(home);
    const made = await makeAgent(home, "int", { "plan.md": THREE }, { MAESTRO_SIM_FAULT: "hang" });
    dirs.push(made.project);
    const live = liveMaestro(["--data-dir", home, "run-doc", "plan.md", "-a", "int", "--json"], env);
    await live.until((l) => l.includes('"type":"task_start"'));
    // The provider child is up in the project before the signal.
    for (let i = 0; i < 100 && processesIn(made.project, "maestro-sim").length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesIn(made.project, "maestro-sim").length).toBeGreaterThan(0);
    live.child.kill("SIGINT");
    expect(await live.exited).toBe(130);
    expect(fs.existsSync(lockFile(home))).toBe(false);
    expect(processesIn(made.project)).toEqual([]);
    const [stored] = JSON.parse((await run(home, ["list", "runs", "--json"])).stdout);
    // Paused by this process's own close, not left running for the next start to find ("The bridge restarted…").
    expect(stored).toMatchObject({
      status: "paused",
      pauseKind: "restart",
      pauseReason: expect.stringMatching(/^The headless maestro command stopped during this run/),
    });
    const { run: view, attempts } = JSON.parse((await run(home, ["show", "run", stored.id, "--json"])).stdout);
    expect(view.status).toBe("paused");
    // Cut off, then settled against the file by the next open (as after a bridge restart): not ticked, so failed.
    expect(attempts.map((a: { status: string }) => a.status)).toEqual(["failed"]);
  }, 60_000);

  it("a reader that leaves (| head -1): exit 1 quietly (the run did not finish), the run paused, the child gone, the lock released", async () => {
    const home = tmp("maestro-cli-pipe-");
    dirs.push(home);
    const made = await makeAgent(home, "pipe", { "plan.md": THREE });
    dirs.push(made.project);
    const live = liveMaestro(["--data-dir", home, "run-doc", "plan.md", "-a", "pipe", "--json"], env);
    await live.until((l) => l.includes('"type":"start"'));
    // Gone before the first task's end: that line is the write that finds no reader.
    live.child.stdout!.destroy();
    expect(await live.exited).toBe(1);
    expect(live.stderr()).toBe("");
    expect(fs.existsSync(lockFile(home))).toBe(false);
    expect(processesIn(made.project)).toEqual([]);
    const [stored] = JSON.parse((await run(home, ["list", "runs", "--json"])).stdout);
    // Paused by this process's own close, not left running for the next start to find ("The bridge restarted…").
    expect(stored).toMatchObject({
      status: "paused",
      pauseKind: "restart",
      pauseReason: expect.stringMatching(/^The headless maestro command stopped during this run/),
    });
  }, 60_000);

  it("a data dir another headless maestro holds: exit 1 naming its pid", async () => {
    const home = tmp("maestro-cli-held-");
    dirs.push(home);
    fs.writeFileSync(
      lockFile(home),
      JSON.stringify({ pid: process.pid, kind: "headless", startedAt: new Date().toISOString(), nonce: "x" }),
    );
    const r = await run(home, ["list", "runs"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`maestro: a headless maestro (pid ${process.pid}) is running in ${home}; wait for it to finish or stop it.\n`);
    expect(fs.existsSync(lockFile(home))).toBe(true);
  });
});
