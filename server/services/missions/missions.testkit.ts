import fs from "node:fs";
import path from "node:path";
import type { MemoryEntry } from "../../../lib/missions/memory";
import { createTestServices, tempDir } from "../../testing/harness";
import type { ImportedMission } from "../../../lib/missions/layout";
import type { MissionDisk } from "./service";
import type { MissionExecutor, MissionRecorder } from "./types";

/**
 * A service graph for the missions service's own tests: an executor that only records what it is
 * asked (the real one is tested with it in executor tests), and a `.maestro/` writer that writes
 * plain JSON files into the project folder and reads back what a test puts there.
 */
export function missionTestbed() {
  const project = tempDir("maestro-missions-");
  const calls: string[] = [];
  const running = new Map<string, string[]>();
  const errors: string[] = [];
  let startError: Error | null = null;
  let failDisk = false;
  const trees = new Map<string, ImportedMission[]>();
  const memories = new Map<string, MemoryEntry[]>();
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
      recover: async () => void calls.push("recover"),
      shutdown: async () => void calls.push("shutdown"),
    };
  };

  const disk: MissionDisk = {
    async writeTree(folder, tree) {
      if (failDisk) throw new Error("disk full");
      const dir = path.join(folder, ".maestro", "missions", tree.view.refId);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "mission.json"), JSON.stringify(tree, null, 2));
    },
    async writePrompt(folder, refId, featureKey, prompt) {
      const file = path.join(folder, ".maestro", "missions", refId, "workers", featureKey, "prompt.md");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, prompt);
      return file;
    },
    async writeMemory(folder, entries) {
      if (failDisk) throw new Error("disk full");
      fs.mkdirSync(path.join(folder, ".maestro", "memory"), { recursive: true });
      fs.writeFileSync(path.join(folder, ".maestro", "memory", "entries.json"), JSON.stringify(entries));
    },
    readMissionTrees: async (folder) => trees.get(folder) ?? [],
    readMemory: async (folder) => memories.get(folder) ?? [],
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
    trees,
    memories,
    recorder: () => recorder!,
    agent,
    diamondPlan,
    failStart: (e: Error | null) => (startError = e),
    failDisk: (on: boolean) => (failDisk = on),
    cleanup,
  };
}
