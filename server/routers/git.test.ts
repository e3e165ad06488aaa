import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
const dirs: string[] = [];
beforeEach(() => {
  services = createTestServices();
});
afterEach(async () => {
  await services.cleanup();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

it("git.status / git.statuses / git.onChange through the router", async () => {
  const repo = tempDir("maestro-gitrouter-");
  const plain = tempDir("maestro-gitrouter-");
  dirs.push(repo, plain);
  execFileSync("git", ["init", "-q", "-b", "trunk"], { cwd: repo, stdio: "ignore" });
  const a = await services.agents.create({ name: "repo", folder: repo });
  const b = await services.agents.create({ name: "plain", folder: plain });
  const caller = callerFor(services, (await pairedOwner(services)).principal);

  expect(await caller.git.status({ agentId: a.id })).toMatchObject({ branch: "trunk", dirty: 0 });
  expect(await caller.git.statuses()).toEqual({ [a.id]: expect.objectContaining({ branch: "trunk" }), [b.id]: null });

  const sub = (await caller.git.onChange({ agentId: a.id }))[Symbol.asyncIterator]();
  const next = sub.next();
  await new Promise((r) => setTimeout(r, 300));
  fs.writeFileSync(path.join(repo, "x.txt"), "x");
  expect((await next).value).toEqual({ agentId: a.id });
  expect(await caller.git.status({ agentId: a.id })).toMatchObject({ untracked: 1, dirty: 1 });
  await sub.return?.();

  await expect(callerFor(services, null).git.statuses()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
});
