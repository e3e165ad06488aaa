import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { tempDir } from "../../server/testing/harness";
import { startRealBridge, type RealBridge } from "./real-bridge";

/**
 * Shared by cli/missions*.test.ts: one real bridge per file (the missions service on a real
 * database, `.maestro/` written to a temp project folder `api`), the reference-shaped plan files,
 * and the mission made from them. Nothing is approved: running missions is the executor's tests' job.
 */

export const FIXTURES = path.join(import.meta.dirname, "../../test/fixtures/maestro-ref");
export const json = (s: string) => JSON.parse(s);

export const plan = {
  title: "Add authentication",
  description: "Ship the first authentication slice",
  milestones: [
    { id: "build", title: "Build", description: "", order: 0, kind: "work" },
    { id: "review", title: "Review", description: "", order: 1, kind: "gate" },
  ],
  features: [
    {
      id: "auth-plan",
      milestoneId: "build",
      title: "Plan the auth flow",
      description: "Shape",
      agentType: "simulator",
      verificationSteps: ["Read it"],
    },
    {
      id: "auth-impl",
      milestoneId: "build",
      title: "Implement the auth flow",
      description: "Build it",
      workerType: "simulator",
      dependsOn: ["auth-plan"],
      verificationSteps: ["npm test"],
      fulfills: ["auth-login-works"],
    },
    { id: "auth-review", milestoneId: "review", title: "Review", description: "", dependsOn: ["auth-impl"] },
  ],
};

/** Until the debounced `.maestro/` write has made `file` (false after 10 s). */
export async function waitFor(file: string) {
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return fs.existsSync(file);
}

/** `maestro handoff create` for a mission's auth-impl feature; `rest` adds flags. */
export const handoffCreateArgs = (refId: string, summary: string, nextAction: string, ...rest: string[]) => [
  "handoff",
  "create",
  "--mission",
  refId,
  "--feature",
  "auth-impl",
  "--summary",
  summary,
  "--next-action",
  nextAction,
  ...rest,
];

/** The bridge and the `api` project (with plan.json and cycle.json beside it), made before the file's tests, removed after. */
export function missionsCliSuite() {
  let bridge: RealBridge | undefined;
  let root = "";
  beforeAll(async () => {
    bridge = await startRealBridge();
    root = tempDir("maestro-cli-missions-");
    fs.mkdirSync(path.join(root, "api"));
    await bridge.services.agents.create({ name: "api", folder: path.join(root, "api"), provider: "simulator" });
    fs.writeFileSync(path.join(root, "plan.json"), JSON.stringify(plan));
    fs.writeFileSync(
      path.join(root, "cycle.json"),
      JSON.stringify({ ...plan, features: [{ ...plan.features[0], dependsOn: ["auth-impl"] }, ...plan.features.slice(1)] }),
    );
  });
  afterAll(async () => {
    await bridge?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    get bridge() {
      return bridge!;
    },
    get root() {
      return root;
    },
    get project() {
      return path.join(root, "api");
    },
    /** `maestro mission create` from plan.json for `api`: the new mission's .maestro id. */
    async createMission(): Promise<string> {
      const r = await bridge!.cli(["mission", "create", "--file", path.join(root, "plan.json"), "--agent", "api"]);
      if (r.code !== 0) throw new Error(r.stderr);
      return /Mission created: (\S+)/.exec(r.stdout)![1]!;
    },
  };
}
