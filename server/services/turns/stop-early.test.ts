import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { databaseFile } from "../../db";
import { openFastDb, type FastDb } from "../../db/fast";
import { createBus } from "../../events/bus";
import { silentLogger } from "../../logger";
import { createTestServices, tempDir } from "../../testing/harness";
import type { DetectedProvider } from "../providers/detect";
import { createTurnsService } from "./service";

/**
 * A turn is "active" from its row on, but its CLI starts only after the binary is looked up and
 * the invocation prepared (a cold detection runs four `--version` probes). A Stop, a removal or a
 * shutdown in that gap must be honoured: the CLI never starts, and `settled` waits for the turn.
 */
let services: ReturnType<typeof createTestServices>;
let fast: FastDb;
let project: string;
const marker = () => path.join(project, "cli-started");

beforeAll(() => {
  services = createTestServices();
  fast = openFastDb(databaseFile(services.dataDir));
  project = tempDir("maestro-stop-early-");
});
afterAll(async () => {
  fast.close();
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

/** A "claude" on disk that leaves a mark when it runs, found only when the test says so. */
function slowDetection() {
  const cli = path.join(project, "claude");
  fs.writeFileSync(cli, `#!/bin/sh\ntouch ${JSON.stringify(marker())}\n`, { mode: 0o755 });
  let release!: () => void;
  const found = new Promise<DetectedProvider[]>((resolve) => {
    release = () =>
      resolve([{ id: "claude", label: "Claude Code", installed: true, path: cli, version: "2.1.330", source: "PATH" } as DetectedProvider]);
  });
  return { found, release };
}

async function claudeTab() {
  const agent = await services.agents.create({ name: `early ${Math.random()}`, folder: project, provider: "claude" });
  const [tab] = await services.tabs.list(agent.id);
  return tab!;
}

/** A turns service whose claude lookup hangs until released, and a turn sent to it that is active but has no CLI yet. */
async function turnStillStarting() {
  const detection = slowDetection();
  const turns = createTurnsService({
    db: services.db,
    fast,
    bus: createBus(),
    detectProviders: () => detection.found,
    logger: silentLogger,
  });
  const tab = await claudeTab();
  const sent = turns.send({ tabId: tab.id, prompt: "hello" });
  await expect.poll(() => turns.isBusy(tab.id)).toBe(true);
  return { detection, turns, tab, sent };
}

test("a Stop while the CLI is being looked up: it never starts, the turn is stopped, settled waits for it", async () => {
  const { detection, turns, tab, sent } = await turnStillStarting();

  expect(await turns.stop(tab.id)).toBe(true);
  let settled = false;
  const waiting = turns.settled(tab.id).then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(settled, "settled waits for a turn still starting").toBe(false);

  detection.release();
  const { turnId } = await sent;
  await waiting;
  const turn = await services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
  expect(turn.status).toBe("stopped");
  expect(turns.isBusy(tab.id)).toBe(false);
  await new Promise((r) => setTimeout(r, 100));
  expect(fs.existsSync(marker()), "the CLI must not have run").toBe(false);
});

test("shutdown during start-up: the turn is stored as stopped before shutdown returns, and no new turn starts", async () => {
  const { detection, turns, sent } = await turnStillStarting();

  let down = false;
  const shutdown = turns.shutdown().then(() => (down = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(down, "shutdown waits for the turn still starting").toBe(false);
  detection.release();
  await shutdown;
  const { turnId } = await sent;
  expect((await services.db.turn.findUniqueOrThrow({ where: { id: turnId } })).status).toBe("stopped");
  expect(fs.existsSync(marker())).toBe(false);

  const other = await claudeTab();
  await expect(turns.send({ tabId: other.id, prompt: "too late" })).rejects.toThrow(/shutting down/);
});
