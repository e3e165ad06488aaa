import fs from "node:fs";
import { afterEach, beforeEach } from "vitest";
import { createTestServices, tempDir } from "../../testing/harness";
import * as real from "./disk";
import type { MissionDisk } from "./service";
import type { MissionExecutor, MissionRecorder } from "./types";

/**
 * A service graph for the missions service's own tests: an executor that only records what it is
 * asked (the real one runs in service.test.ts and the executor's tests), and the real `.maestro/`
 * reader and writer, whose writes a test can make fail.
 */
export function missionTestbed() {
  const project = tempDir("maestro-missions-");
  const calls: string[] = [];
  const running = new Map<string, string[]>();
  const errors: string[] = [];
  let startError: Error | null = null;
  let failDisk = false;
  let recorder: MissionRecorder | null = null;

  const executor = (r: MissionRecorder): MissionExecutor => {
    recorder = r;
    return {
      start: async (id) => {
        calls.push(`start ${id}`);
        if (startError) throw startError;
      },
      kick: (id) => void calls.push(`kick ${id}`),
      stop: async (id, why) => void calls.push(`stop ${id} ${why}`),
      running: (id) => running.get(id) ?? [],
      idle: async () => {},
      recover: async () => void calls.push("recover"),
      shutdown: async () => void calls.push("shutdown"),
    };
  };

  // The real `.maestro/` reader and writer; `failDisk` makes the writes fail (a full disk).
  const failing =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      failDisk ? Promise.reject(new Error("disk full")) : write(...args);
  const disk: MissionDisk = {
    writeTree: failing(real.writeMissionTree),
    writePrompt: failing(real.writePrompt),
    writeMemory: failing(real.writeMemory),
    writeHandoff: failing(real.writeHandoff),
    scanMissionTrees: real.scanMissionTrees,
    readHandoffs: real.readHandoffs,
    readMemory: real.readMemory,
  };

  const services = createTestServices({
    missions: { executor, disk, diskDebounceMs: 10 },
    logger: { info: () => {}, error: (m) => errors.push(m) },
  });

  async function agent(name = "proj", folder = project) {
    return services.agents.create({ name, folder, provider: "simulator" });
  }

  /** A plan of two milestones (work, then validation) and six features in a diamond. */
  function diamondPlan(title = "Diamond") {
    return {
      title,
      description: "Two milestones, six features.",
      milestones: [
        { id: "build", title: "Build", description: "", order: 1, kind: "work", profile: "standard" },
        { id: "check", title: "Check", description: "", order: 2, kind: "validation", profile: "standard" },
      ],
      features: [
        { id: "a", milestoneId: "build", title: "A", description: "", dependsOn: [], verificationSteps: ["true"], fulfills: ["a-works"] },
        { id: "b", milestoneId: "build", title: "B", description: "", dependsOn: ["a"], verificationSteps: [], fulfills: ["b-works"] },
        { id: "c", milestoneId: "build", title: "C", description: "", dependsOn: ["a"], verificationSteps: [], fulfills: [] },
        { id: "d", milestoneId: "build", title: "D", description: "", dependsOn: ["b", "c"], verificationSteps: [], fulfills: [] },
        { id: "e", milestoneId: "check", title: "E", description: "", dependsOn: ["d"], verificationSteps: [], fulfills: ["e-works"] },
        { id: "f", milestoneId: "check", title: "F", description: "", dependsOn: ["e"], verificationSteps: [], fulfills: [] },
      ],
    };
  }

  async function cleanup() {
    await services.cleanup();
    fs.rmSync(project, { recursive: true, force: true });
  }

  return {
    services,
    project,
    calls,
    running,
    errors,
    recorder: () => recorder!,
    agent,
    diamondPlan,
    failStart: (e: Error | null) => (startError = e),
    failDisk: (on: boolean) => (failDisk = on),
    cleanup,
  };
}

export type MissionTestbed = ReturnType<typeof missionTestbed>;

/**
 * A fresh testbed and its project agent before each test, cleaned up after; `use` gets both (a
 * test file keeps them in its own variables, read inside its tests).
 */
export function eachMissionTestbed(use: (t: MissionTestbed, agentId: string) => void) {
  let t: MissionTestbed | undefined;
  beforeEach(async () => {
    t = missionTestbed();
    use(t, (await t.agent()).id);
  });
  afterEach(() => t?.cleanup());
}
