import { TRPCError } from "@trpc/server";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { gitOk } from "../services/git/run-git";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

const services = createTestServices();
const root = fs.realpathSync(tempDir("maestro-wt-router-"));
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

test("through the router: info, a hostile name as BAD_REQUEST with the rule's sentence, create, list", async () => {
  const caller = callerFor(services, (await pairedOwner(services)).principal);
  const repo = path.join(root, "app");
  fs.mkdirSync(repo);
  await gitOk(["init", "-q", "-b", "trunk"], { cwd: repo });
  await gitOk(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const agent = await caller.agents.create({ name: "App", folder: repo });
  expect(await caller.worktrees.info({ agentId: agent.id })).toEqual({
    isRepo: true,
    mainRepo: repo,
    currentBranch: "trunk",
    baseFolder: path.join(root, "app-worktrees"),
    setupScript: null,
  });
  for (const [branch, message] of [
    ["--upload-pack=x", /cannot start with “-”/],
    ["x".repeat(300), /at most 200 characters/],
  ] as const) {
    const err = await caller.worktrees.create({ parentId: agent.id, branch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect((err as TRPCError).message).toMatch(message);
  }
  const { agent: child } = await caller.worktrees.create({ parentId: agent.id, branch: "topic" });
  expect((await caller.agents.list()).find((a) => a.id === child.id)).toMatchObject({ parentId: agent.id, worktreeBranch: "topic" });
  expect((await caller.worktrees.list({ agentId: agent.id })).map((w) => w.agent?.id)).toEqual([agent.id, child.id]);
  expect(await caller.worktrees.setup({ agentId: child.id })).toBeNull();
});
