import { TRPCError } from "@trpc/server";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { gitOk } from "../services/git/run-git";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

const services = createTestServices();
const root = fs.realpathSync(tempDir("maestro-wtc-router-"));
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

test("through the router: check, a refusal as CONFLICT with the warning, remove anyway, stale listing, bounds on the days", async () => {
  const caller = callerFor(services, (await pairedOwner(services)).principal);
  const repo = path.join(root, "app");
  fs.mkdirSync(repo);
  await gitOk(["init", "-q", "-b", "main"], { cwd: repo });
  await gitOk(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: repo });
  const agent = await caller.agents.create({ name: "App", folder: repo });
  const { agent: child } = await caller.worktrees.create({ parentId: agent.id, branch: "topic" });
  fs.writeFileSync(path.join(child.folder, "wip.txt"), "wip\n");
  const shown = await caller.worktreeCleanup.check({ agentId: child.id });
  expect(shown).toMatchObject({ uncommitted: 1, uncommittedFiles: ["wip.txt"] });

  const err = await caller.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("CONFLICT");
  expect((err as TRPCError).message).toBe("Not removed: 1 uncommitted file will be lost.");

  expect(
    await caller.worktreeCleanup.remove({ agentId: child.id, deleteBranch: true, force: true, seen: shown.fingerprint }),
  ).toMatchObject({
    branchDeleted: true,
  });
  expect(fs.existsSync(child.folder)).toBe(false);
  expect((await caller.agents.list()).map((a) => a.id)).toEqual([agent.id]);

  expect(await caller.worktreeCleanup.stale()).toEqual({ olderThanDays: 14, repos: [] });
  await expect(caller.worktreeCleanup.setStaleDays({ days: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  expect(await caller.worktreeCleanup.setStaleDays({ days: 30 })).toBe(30);
  expect(await caller.worktreeCleanup.staleDays()).toBe(30);
  await expect(caller.worktreeCleanup.cleanup({ paths: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  expect(await caller.worktreeCleanup.cleanup({ paths: [repo] })).toMatchObject([{ path: repo, ok: false }]);
});
