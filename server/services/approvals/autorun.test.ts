import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { BusEvents } from "../../events/bus";
import { createTestServices, tempDir } from "../../testing/harness";
import { autorunProject } from "../autorun/test-project";
import { writeAskingCli } from "../turns/asking-cli.testkit";

/**
 * An Auto Run task whose turn asks (a real child process speaking claude's control protocol):
 * the request carries the run, the push names the document and task, and a request nobody
 * answers pauses the run for a person instead of counting towards a stall or retrying unattended.
 */
let services: ReturnType<typeof createTestServices>;
const bin = tempDir("maestro-ask-run-bin-");
const dirs: string[] = [bin];
const notes: BusEvents["notify"][] = [];

beforeAll(() => {
  services = createTestServices({ turns: { idleTimeoutMs: 10_000, stopGraceMs: 300 }, approvals: { timeoutMs: 1500 } });
  services.bus.subscribe("notify", (n) => notes.push(n));
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test("a task waiting for approval: the request names the run; unanswered, the run pauses for a person, no stall", async () => {
  const { agent } = await autorunProject(services, dirs, { "plan.md": "# Plan\n\n- [ ] make the file\n- [ ] second\n" }, "ask-run");
  await services.db.agent.update({
    where: { id: agent.id },
    data: { provider: "claude", settingsJson: JSON.stringify({ binaryPath: writeAskingCli(bin), permissionMode: "ask" }) },
  });
  const run = await services.autorun.start({
    agentId: agent.id,
    config: { documents: [{ filename: "plan.md" }], prompt: "touch t.txt" },
    name: "Asks",
  });

  const [p] = await waitFor("a pending request", async () => {
    const list = await services.approvals.pending({ agentId: agent.id });
    return list.length ? list : null;
  });
  expect(p).toMatchObject({ runId: run.id, toolName: "Bash", input: { command: "touch t.txt" } });
  expect(notes.find((n) => n.approvalId === p!.id)?.body).toBe("wants to run: touch t.txt (Auto Run plan.md: make the file)");
  expect((await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");

  const paused = await waitFor("the run paused", async () => {
    const r = await services.db.autorunRun.findUniqueOrThrow({ where: { id: run.id } });
    return r.status === "paused" ? r : null;
  });
  expect(paused).toMatchObject({
    pauseKind: "error",
    pauseReason: "Nobody answered a tool request on “make the file” in time. Resume to try the task again.",
  });
  // One attempt, recorded as no progress; not a stall, not retried.
  const attempts = await services.db.autorunAttempt.findMany({ where: { runId: run.id } });
  expect(attempts.map((a) => a.status)).toEqual(["no-progress"]);
  expect(await services.db.approval.findMany({ where: { runId: run.id }, select: { status: true } })).toEqual([{ status: "expired" }]);
});
