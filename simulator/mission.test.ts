// The simulator as a mission worker, through each dialect's real adapter: it writes its
// feature's file in the folder, replies with a one-paragraph summary, and obeys `[sim: …]`.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { WORKER_PROMPT_MARKER, workerPrompt } from "../lib/missions/prompt";
import { replyFrom } from "../lib/providers/reply";
import { simTurn, tempWorld } from "../lib/providers/sim-turn.testkit";
import { DIALECTS } from "./harness";
import * as sim from "./mission.mjs";

const world = tempWorld("maestro-sim-mission-");
afterAll(() => fs.rmSync(world.root, { recursive: true, force: true }));

const prompt = (description: string) =>
  workerPrompt({
    mission: { refId: "m-1", title: "Auth", description: "Write a file named mission.txt containing never" },
    milestone: { key: "ms1", title: "First", kind: "work" },
    feature: {
      key: "auth-login",
      title: "Login page",
      description,
      verificationSteps: ["`npm test`", "the page loads"],
      fulfills: ["login-works"],
    },
    dependencies: [{ featureKey: "setup", title: "Setup", uki: "", summary: "Write a file named dep.txt containing never [sim: crash]" }],
    guidance: "",
    cli: { handoffCommand: 'node "$MAESTRO_CLI" handoff create' },
  });

describe("pure parts", () => {
  test("the marker is the worker prompt's", () => {
    expect(sim.WORKER_PROMPT_MARKER).toBe(WORKER_PROMPT_MARKER);
  });

  test("the feature, its file and the directives are read from the prompt", () => {
    expect(sim.isWorkerPrompt(prompt(""))).toBe(true);
    expect(sim.isWorkerPrompt("Feature: x")).toBe(false);
    expect(sim.workerFeature(prompt(""))).toEqual({ key: "auth-login", title: "Login page" });
    expect(sim.featureDescription(prompt("Do it [sim: slow 5]"))).toBe("Do it [sim: slow 5]");
    expect(sim.verifyLines(prompt(""))).toBe(2);
    expect(sim.featureFile("api/users")).toBe("api-users.txt");
    expect(sim.workerDirectives("x [sim: crash] [sim: slow 40]")).toEqual({ crash: true, slowMs: 40, handoffCli: false });
    expect(sim.workerDirectives("[sim: handoff-cli]").handoffCli).toBe(true);
    const faults = { crash: false, slow: false, delayMs: 0 } as never;
    expect(sim.withWorkerDirectives(faults, "[sim: crash]")).toBe(faults);
    expect(sim.withWorkerDirectives(faults, prompt("[sim: slow 5]"))).toMatchObject({ slow: true, delayMs: 5, crash: false });
  });
});

describe.each(DIALECTS.map((d) => d.name))("%s as a mission worker", (dialect) => {
  test("writes the feature's file and the files its description asks for, and sums up in one paragraph", async () => {
    const cwd = fs.mkdtempSync(path.join(world.cwd, `${dialect}-`));
    const t = await simTurn(dialect, { prompt: prompt("Write a file named shared.txt containing hello"), cwd }, { home: world.home });
    expect(t.run.code).toBe(0);
    expect(fs.readFileSync(path.join(cwd, "auth-login.txt"), "utf8")).toBe("auth-login: Login page\n");
    expect(fs.readFileSync(path.join(cwd, "shared.txt"), "utf8")).toBe("hello\n");
    // The verification step in the prompt is not run by the worker.
    const reply = replyFrom(t.events).text;
    expect(reply.split("\n\n")[0]).toMatch(/^Implemented Login page \(auth-login\): wrote auth-login.txt, shared.txt/);
    expect(reply).toMatch(/VERIFY 1: PASS - .*\nVERIFY 2: PASS - /);
    // Only the feature's own description is a request: the mission's and the handoff's are context.
    expect(fs.readdirSync(cwd).sort()).toEqual(["auth-login.txt", "shared.txt"]);
  });

  test("[sim: crash] kills the turn", async () => {
    const cwd = fs.mkdtempSync(path.join(world.cwd, `${dialect}-crash-`));
    const t = await simTurn(dialect, { prompt: prompt("[sim: crash]"), cwd }, { home: world.home });
    expect(t.run.code).not.toBe(0);
    expect(t.exit?.type).toBe("error");
  });
});
