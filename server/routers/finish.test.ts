import { TRPCError } from "@trpc/server";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { gitOk } from "../services/git/run-git";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

const services = createTestServices();
const root = fs.realpathSync(tempDir("maestro-finish-router-"));
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => gitOk(args, { cwd }).then((o) => o.trim());

test("through the router: info, commit, push and merge back; bad input as BAD_REQUEST; no session, no call", async () => {
  const caller = callerFor(services, (await pairedOwner(services)).principal);
  const repo = path.join(root, "app");
  const bare = path.join(root, "origin.git");
  fs.mkdirSync(repo);
  await git(root, "init", "-q", "--bare", "-b", "trunk", bare);
  await git(repo, "init", "-q", "-b", "trunk");
  await git(repo, "config", "user.name", "T");
  await git(repo, "config", "user.email", "t@example.com");
  await git(repo, "commit", "-q", "--allow-empty", "-m", "init");
  await git(repo, "remote", "add", "origin", bare);
  const agent = await caller.agents.create({ name: "App", folder: repo });
  const { agent: child } = await caller.worktrees.create({ parentId: agent.id, branch: "topic" });

  expect(await caller.finish.info({ agentId: child.id })).toMatchObject({ isRepo: true, branch: "topic", base: "trunk", dirty: 0 });
  fs.writeFileSync(path.join(child.folder, "a.txt"), "a\n");
  const err = await caller.finish.commit({ agentId: child.id, message: "" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("BAD_REQUEST");
  expect((err as TRPCError).message).toBe("Type a commit message.");
  const { sha } = await caller.finish.commit({ agentId: child.id, message: "add a" });
  expect(await caller.finish.push({ agentId: child.id })).toEqual({ branch: "topic", remote: "origin" });
  expect(await git(bare, "rev-parse", "topic")).toBe(sha);
  const merged = await caller.finish.mergeBack({ agentId: child.id });
  expect(merged).toMatchObject({ into: "trunk", branch: "topic" });
  expect(await git(repo, "rev-parse", "HEAD^2")).toBe(sha);

  const anonymous = callerFor(services, null);
  await expect(anonymous.finish.push({ agentId: child.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
});
