import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startPushReceiver, type PushReceiver } from "../../testing/push-receiver";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";

/**
 * The whole path, nothing published by hand: a real Auto Run with the simulator finishes, and
 * the local push service receives its run-done notification, encrypted and VAPID-signed, which
 * decrypts to the message and the deep link of that run's page.
 */
let receiver: PushReceiver;
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const project = tempDir("maestro-autorun-push-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  receiver = await startPushReceiver();
  services = createTestServices({ push: { httpsAgent: receiver.agent, log: () => {} } });
  receiver.expectVapidKey(services.push.publicKey());
});
afterAll(async () => {
  await services.cleanup();
  await receiver.close();
  for (const d of [simHome, project]) fs.rmSync(d, { recursive: true, force: true });
});

test("an Auto Run that finishes sends exactly one run-done push with its deep link", async () => {
  const owner = await pairedOwner(services, "Pixel 7");
  const caller = callerFor(services, owner.principal);
  const phone = receiver.newSubscription();
  await caller.push.subscribe({ ...phone.json, deviceLabel: "Pixel 7" });

  const folder = path.join(project, ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "release.md"), "# Release\n\n- [ ] write notes.txt\n- [ ] bump the version\n");
  const agent = await services.agents.create({ name: "Release bot", folder: project, provider: "simulator" });
  const run = await caller.autorun.start({ agentId: agent.id, config: { documents: [{ filename: "release.md" }] }, name: "Release" });
  await services.autorun.settled(run.id);
  await services.push.idle();

  expect((await caller.autorun.byId({ id: run.id })).run.status).toBe("done");
  const payloads = receiver.deliveriesFor(phone.id).map((d) => d.payload as { kind: string; title: string; body: string; url: string });
  const runDone = payloads.filter((p) => p.kind === "run-done");
  expect(runDone).toHaveLength(1);
  expect(runDone[0]).toMatchObject({ url: `/autorun/runs/${run.id}` });
  expect(`${runDone[0]!.title} ${runDone[0]!.body}`).toMatch(/Release/);
  // The task turns themselves push nothing: only the run's own milestones arrive.
  expect(payloads.map((p) => p.kind).sort()).toEqual(["document-done", "run-done"]);
  expect(receiver.problems).toEqual([]);
});
