import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseChecklist, setTaskDone } from "../../../lib/autorun/checklist";
import type { RunConfigInput } from "../../../lib/autorun/run-config";
import type { BusEvents } from "../../events/bus";
import { callerFor, createTestServices, pairedOwner, sharedSession, tempDir } from "../../testing/harness";
import { autorunProject } from "./test-project";

/**
 * Where a run needs a person: desktop's HITL gate, tasks marked for a human, documents that wait
 * for one in a loop (desktop #290), and what must not carry over from one run to the next (#1588).
 * Real simulator processes, real SQLite, real files.
 */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const dirs: string[] = [simHome];
const notices: BusEvents["notify"][] = [];

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 } });
  services.bus.subscribe("notify", (n) => notices.push(n));
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const agentWith = (docs: Record<string, string>) => autorunProject(services, dirs, docs, "people");

const runOf = (id: string) => services.db.autorunRun.findUniqueOrThrow({ where: { id } });
async function waitStatus(id: string, status: string) {
  const end = Date.now() + 15_000;
  for (;;) {
    const r = await runOf(id);
    if (r.status === status) return r;
    if (Date.now() > end) throw new Error(`timed out waiting for run ${status} (it is ${r.status})`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
const docs = (...filenames: string[]): RunConfigInput => ({ documents: filenames.map((filename) => ({ filename })) });
const attemptsOn = async (runId: string) => (await services.autorun.attempts(runId)).map((a) => a.taskText);
const pausesOf = (runId: string) => notices.filter((n) => n.kind === "run-paused" && n.url === `/autorun/runs/${runId}`).length;

describe("desktop's HITL gate", () => {
  test("pauses before the task under it with its reason and artifact; ticking that task lets the run go on", async () => {
    const { agent, file, doc } = await agentWith({
      "spec.md":
        '- [ ] write the spec\n\n## Review\n<!-- MAESTRO:HITL reason="Spec ready for review" artifact=".maestro/outputs/SPEC.md" -->\n- [ ] Human has approved the spec\n- [ ] implement it\n',
    });
    const run = await services.autorun.start({ agentId: agent.id, config: docs("spec.md") });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseKind).toBe("review");
    expect(paused.pauseReason).toBe("Review before the next task of spec.md: Spec ready for review. Look at .maestro/outputs/SPEC.md.");
    expect(parseChecklist(doc("spec.md")).done).toBe(1);
    const view = await services.autorun.documents(run.id);
    expect(view[0]!.waitingOn).toEqual({ kind: "hitl", reason: "Spec ready for review", artifact: ".maestro/outputs/SPEC.md" });

    // The person approves by ticking the box under the gate (as desktop's authoring guide says), then resumes.
    const md = doc("spec.md");
    fs.writeFileSync(file("spec.md"), setTaskDone(md, parseChecklist(md).tasks[1]!, true));
    await services.autorun.resume(run.id);
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 2 });
    expect(await attemptsOn(run.id)).toEqual(["write the spec", "implement it"]);
  });
});

describe("tasks marked for a human", () => {
  test("are never an agent's: the run pauses; Resume without ticking leaves the document and moves on", async () => {
    const { agent, doc } = await agentWith({
      "ship.md": "- [ ] build it\n- [ ] (human) sign off the release\n- [ ] announce it\n",
      "after.md": "- [ ] tidy up\n",
    });
    const run = await services.autorun.start({ agentId: agent.id, config: docs("ship.md", "after.md") });
    const paused = await waitStatus(run.id, "paused");
    expect(paused.pauseReason).toMatch(/^“\(human\) sign off the release” in ship\.md is a person's job/);
    expect((await services.autorun.documents(run.id))[0]!.waitingOn).toMatchObject({ kind: "human" });
    await services.autorun.resume(run.id);
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 2 });
    expect(await attemptsOn(run.id)).toEqual(["build it", "tidy up"]);
    expect(parseChecklist(doc("ship.md")).tasks.map((t) => t.done)).toEqual([true, false, false]);
    const left = await services.db.historyEntry.findMany({ where: { runId: run.id, summary: { startsWith: "Left for a person" } } });
    expect(left).toHaveLength(1);
    expect((await services.autorun.documents(run.id))[0]!.waitsForPerson).toBe(true);
  });

  test("in a loop, a document whose remaining tasks all wait for a person is not re-run (desktop #290)", async () => {
    const { agent } = await agentWith({
      "phase.md": "- [ ] seed the data\n- [ ] (human) check the seeded accounts\n",
      "daily.md": "- [ ] daily check\n",
    });
    const run = await services.autorun.start({
      agentId: agent.id,
      config: { documents: [{ filename: "phase.md" }, { filename: "daily.md", resetOnCompletion: true }], loopEnabled: true, maxLoops: 5 },
    });
    await waitStatus(run.id, "paused");
    await services.autorun.resume(run.id);
    await services.autorun.settled(run.id);
    const done = await runOf(run.id);
    expect(done).toMatchObject({ status: "done", loop: 1, endReason: "Every document without reset is done or waits for a person (1)." });
    expect(pausesOf(run.id)).toBe(1);
    expect(await attemptsOn(run.id)).toEqual(["seed the data", "daily check"]);
  });
});

describe("the person's side", () => {
  test("“I did it”: Resume with markDone ticks the person's task in the run's document, and the run goes on", async () => {
    const { agent, doc } = await agentWith({ "ship.md": "- [ ] build it\n- [ ] 👤 sign off\n- [ ] announce it\n" });
    const run = await services.autorun.start({ agentId: agent.id, config: docs("ship.md") });
    await waitStatus(run.id, "paused");
    await services.autorun.resume(run.id, { markDone: true });
    await services.autorun.settled(run.id);
    expect(await runOf(run.id)).toMatchObject({ status: "done", tasksDone: 2 });
    expect(parseChecklist(doc("ship.md")).done).toBe(3);
    expect(await attemptsOn(run.id)).toEqual(["build it", "announce it"]);
  });

  test("a teammate's control link may resume but not tick the owner's document", async () => {
    const { agent, doc } = await agentWith({ "ship.md": "- [ ] (human) sign off\n- [ ] announce it\n" });
    const run = await services.autorun.start({ agentId: agent.id, config: docs("ship.md") });
    await waitStatus(run.id, "paused");
    const { principal } = await sharedSession(services, { scope: "run", runId: run.id, permission: "control" });
    const teammate = callerFor(services, principal);
    await expect(teammate.autorun.resume({ id: run.id, markDone: true })).rejects.toThrow(/Only the owner can tick/);
    expect(parseChecklist(doc("ship.md")).done).toBe(0);
    expect((await runOf(run.id)).status).toBe("paused");
    const owner = callerFor(services, (await pairedOwner(services)).principal);
    await owner.autorun.resume({ id: run.id, markDone: true });
    await services.autorun.settled(run.id);
    expect(parseChecklist(doc("ship.md")).done).toBe(2);
  });

  test("the gate's artifact opens from the project (or the Auto Run folder), and nothing outside it", async () => {
    const { agent, folder } = await agentWith({ "spec.md": "- [ ] a\n" });
    const project = path.dirname(path.dirname(folder));
    fs.mkdirSync(path.join(project, ".maestro", "outputs"), { recursive: true });
    fs.writeFileSync(path.join(project, ".maestro", "outputs", "SPEC.md"), "# Spec\n");
    fs.writeFileSync(path.join(folder, "notes.md"), "notes");
    fs.writeFileSync(path.join(project, "blob.bin"), Buffer.from([1, 0, 2]));
    const outside = tempDir("maestro-outside-");
    dirs.push(outside);
    fs.writeFileSync(path.join(outside, "secret.md"), "secret");
    fs.symlinkSync(path.join(outside, "secret.md"), path.join(project, "link.md"));

    expect(await services.documents.artifact(agent.id, "./.maestro/outputs/SPEC.md")).toMatchObject({
      content: "# Spec\n",
      markdown: true,
    });
    expect(await services.documents.artifact(agent.id, "notes.md")).toMatchObject({ content: "notes", markdown: true });
    await expect(services.documents.artifact(agent.id, "../" + path.basename(outside) + "/secret.md")).rejects.toThrow(/leaves/);
    await expect(services.documents.artifact(agent.id, path.join(outside, "secret.md"))).rejects.toThrow(/relative/);
    await expect(services.documents.artifact(agent.id, "link.md")).rejects.toThrow(/through a link/);
    await expect(services.documents.artifact(agent.id, "missing.md")).rejects.toThrow(/does not exist/);
    await expect(services.documents.artifact(agent.id, "blob.bin")).rejects.toThrow(/not a text file/);
  });
});

describe("nothing carries over from one run to the next (desktop #1588)", () => {
  test("a gate let through in one run pauses the next; a halt written in a run copy does not block the next run", async () => {
    const { agent, folder, doc } = await agentWith({
      "loop.md": '- [ ] first\n<!-- maestro:review reason="look" -->\n- [ ] second\n',
    });
    const original = doc("loop.md");
    const cfg: RunConfigInput = { documents: [{ filename: "loop.md", resetOnCompletion: true }] };
    const one = await services.autorun.start({ agentId: agent.id, config: cfg });
    await waitStatus(one.id, "paused");
    await services.autorun.resume(one.id);
    await services.autorun.settled(one.id);
    expect((await runOf(one.id)).status).toBe("done");

    const two = await services.autorun.start({ agentId: agent.id, config: cfg });
    expect((await waitStatus(two.id, "paused")).pauseKind).toBe("review");
    // The agent writes a halt into this run's copy: the run halts, the original stays clean.
    await services.db.agent.update({
      where: { id: agent.id },
      data: { settingsJson: JSON.stringify({ env: { MAESTRO_SIM_FAULT: "halt" } }) },
    });
    await services.autorun.resume(two.id);
    expect((await waitStatus(two.id, "halted")).endReason).toMatch(/loop\.md says halt/);
    expect(doc("loop.md")).toBe(original);
    const copies = fs.readdirSync(path.join(folder, "runs"));
    expect(copies.some((c) => parseChecklist(fs.readFileSync(path.join(folder, "runs", c), "utf8")).halt)).toBe(true);

    await services.db.agent.update({ where: { id: agent.id }, data: { settingsJson: "{}" } });
    const three = await services.autorun.start({ agentId: agent.id, config: cfg });
    expect((await waitStatus(three.id, "paused")).pauseKind).toBe("review");
    await services.autorun.abort(three.id);
  });
});
