import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";

/** What a turn changed: real repositories, real simulator turns, the diff through the router. */
let services: ReturnType<typeof createTestServices>;
const simHome = tempDir("maestro-simhome-");
const dirs: string[] = [];

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });

function repo(): string {
  const dir = tempDir("maestro-turn-git-");
  dirs.push(dir);
  git(dir, "init", "-q");
  fs.writeFileSync(path.join(dir, "README.md"), "one\ntwo\n");
  git(dir, "add", "README.md");
  git(dir, "commit", "-qm", "first");
  return dir;
}

async function turnIn(folder: string, prompt: string) {
  const agent = await services.agents.create({ name: `g${Math.random()}`, folder, provider: "simulator" });
  const [tab] = await services.tabs.list(agent.id);
  const t0 = Date.now();
  const { turnId, outcome } = await services.turns.start({ tabId: tab!.id, prompt });
  const done = await outcome;
  const row = await services.db.turn.findUniqueOrThrow({ where: { id: turnId } });
  return { turnId, done, row, ms: Date.now() - t0 };
}

beforeAll(() => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices();
});
afterAll(async () => {
  await services.cleanup();
  for (const d of [...dirs, simHome]) fs.rmSync(d, { recursive: true, force: true });
});

describe("a turn in a git work tree", () => {
  test("records the tree before and after; diffs.turn lists the written file with its lines", async () => {
    const dir = repo();
    // An uncommitted edit from before the turn is in both snapshots, so it is not the turn's change.
    fs.writeFileSync(path.join(dir, "README.md"), "one\ntwo\nthree\n");
    const { turnId, done, row } = await turnIn(dir, "write a file named notes.txt containing make a plan");
    expect(done.status).toBe("done");
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toContain("make a plan");
    expect(row.gitBefore).toMatch(/^[0-9a-f]{40}$/);
    expect(row.gitAfter).toMatch(/^[0-9a-f]{40}$/);
    expect(row.gitAfter).not.toBe(row.gitBefore);
    expect(row.gitChanged).toBe(1);
    // The count reaches the conversation through the turn's end event.
    const end = await services.db.event.findFirstOrThrow({ where: { turnId, type: "turn_end" } });
    expect(JSON.parse(end.payload)).toMatchObject({ status: "done", filesChanged: 1 });

    const api = callerFor(services, (await pairedOwner(services)).principal);
    const diff = await api.diffs.turn({ turnId });
    expect(diff.files.map((f) => [f.path, f.status])).toEqual([["notes.txt", "A"]]);
    expect(diff.files[0]!.added).toBe(fs.readFileSync(path.join(dir, "notes.txt"), "utf8").split("\n").filter(Boolean).length);
    const file = await api.diffs.turnFile({ turnId, path: "notes.txt" });
    expect(file.lines.some((l) => l.kind === "add" && l.text.includes("make a plan"))).toBe(true);
    await expect(api.diffs.turnFile({ turnId, path: "README.md" })).rejects.toThrow(/did not change in this turn/);
  });

  test("a turn that changes nothing records equal trees and 0 files", async () => {
    const { row, turnId } = await turnIn(repo(), "Say hello");
    expect(row.gitBefore).toBe(row.gitAfter);
    expect(row.gitChanged).toBe(0);
    const api = callerFor(services, (await pairedOwner(services)).principal);
    expect((await api.diffs.turn({ turnId })).files).toEqual([]);
  });

  test("the user's index and staged files are left exactly as they were", async () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, "staged.txt"), "staged\n");
    git(dir, "add", "staged.txt");
    fs.writeFileSync(path.join(dir, "README.md"), "changed but not staged\n");
    const cachedBefore = git(dir, "diff", "--cached", "--name-only");
    const indexBefore = fs.readFileSync(path.join(dir, ".git", "index"));
    const { row } = await turnIn(dir, "write a file named out.txt containing hi");
    expect(row.gitChanged).toBe(1);
    expect(git(dir, "diff", "--cached", "--name-only")).toBe(cachedBefore);
    expect(cachedBefore.trim()).toBe("staged.txt");
    expect(fs.readFileSync(path.join(dir, ".git", "index")).equals(indexBefore)).toBe(true);
    expect(git(dir, "status", "--porcelain", "--", "out.txt").trim()).toBe("?? out.txt");
  });

  test("a repository with no commit yet is recorded too", async () => {
    const dir = tempDir("maestro-turn-git-");
    dirs.push(dir);
    git(dir, "init", "-q");
    const { row, turnId } = await turnIn(dir, "write a file named first.txt containing hi");
    expect(row.gitChanged).toBe(1);
    const api = callerFor(services, (await pairedOwner(services)).principal);
    expect((await api.diffs.turn({ turnId })).files.map((f) => f.path)).toEqual(["first.txt"]);
  });
});

test("a turn in a plain folder completes normally and has no change record", async () => {
  const dir = tempDir("maestro-turn-plain-");
  dirs.push(dir);
  const { row, turnId, done } = await turnIn(dir, "write a file named a.txt containing hi");
  expect(done.status).toBe("done");
  expect(fs.existsSync(path.join(dir, "a.txt"))).toBe(true);
  expect([row.gitBefore, row.gitAfter, row.gitChanged]).toEqual([null, null, null]);
  const end = await services.db.event.findFirstOrThrow({ where: { turnId, type: "turn_end" } });
  expect(JSON.parse(end.payload)).not.toHaveProperty("filesChanged");
  const api = callerFor(services, (await pairedOwner(services)).principal);
  await expect(api.diffs.turn({ turnId })).rejects.toThrow(/No change record for this turn/);
});

test("overhead: a snapshotted turn on a small repo costs little more than one in a plain folder", async () => {
  const plain = tempDir("maestro-turn-plain-");
  dirs.push(plain);
  const a = await turnIn(plain, "Say hello");
  const b = await turnIn(repo(), "Say hello");
  console.log(`turn in plain folder ${a.ms} ms, in a small repo (two snapshots) ${b.ms} ms`);
  expect(b.row.gitBefore).not.toBeNull();
  expect(b.ms - a.ms).toBeLessThan(2000);
});
