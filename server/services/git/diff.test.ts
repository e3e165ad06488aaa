import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseNumstat, parseRawNumstat, parseUnifiedDiff } from "../../../lib/git/diff";
import { parseLog, LOG_FORMAT } from "../../../lib/git/log";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { gitOk } from "./run-git";

/** Parsers fed with what real git prints in temp repos, then the service and router on top of them. */
const dirs: string[] = [];
const GIT_ENV = {
  GIT_AUTHOR_NAME: "Ada Ł",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Ł",
  GIT_COMMITTER_EMAIL: "ada@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};
const git = (repo: string, ...args: string[]) => gitOk(args, { cwd: repo, env: GIT_ENV });

async function repo(): Promise<string> {
  const dir = tempDir("maestro-gdiff-");
  dirs.push(dir);
  await git(dir, "init", "-q", "-b", "main");
  return dir;
}
const write = (dir: string, rel: string, body: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), body);
};
const lines = (n: number, tag = "line") => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join("\n") + "\n";

let services: ReturnType<typeof createTestServices>;
beforeAll(() => {
  services = createTestServices();
});
afterAll(async () => {
  await services.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("parsers on real git output", () => {
  test("numstat -z: counts, binary, a rename, a name with spaces and unicode, CRLF", async () => {
    const dir = await repo();
    write(dir, "keep.txt", lines(10));
    write(dir, "old name.txt", lines(50, "moved"));
    write(dir, "pic.bin", Buffer.from([0, 1, 2, 3, 0, 255]));
    write(dir, "crlf.txt", "a\r\nb\r\n");
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "first");
    write(dir, "keep.txt", lines(10).replace("line 3\n", "line three\nextra\n"));
    await git(dir, "mv", "old name.txt", "nouveau é 名.txt");
    write(dir, "pic.bin", Buffer.from([0, 9, 9, 9, 0, 255, 7]));
    write(dir, "crlf.txt", "a\r\nB\r\n");
    await git(dir, "add", "-A");
    const raw = parseRawNumstat(await git(dir, "diff", "--cached", "--find-renames", "--raw", "--numstat", "-z"));
    const byPath = Object.fromEntries(raw.map((f) => [f.path, f]));
    expect(byPath["keep.txt"]).toMatchObject({ status: "M", added: 2, removed: 1, binary: false, oldPath: null });
    expect(byPath["nouveau é 名.txt"]).toMatchObject({ status: "R", oldPath: "old name.txt", added: 0, removed: 0 });
    expect(byPath["pic.bin"]).toMatchObject({ status: "M", binary: true, added: 0 });
    expect(byPath["crlf.txt"]).toMatchObject({ added: 1, removed: 1 });
    expect(raw).toHaveLength(4);
    const bare = parseNumstat(await git(dir, "diff", "--cached", "--find-renames", "--numstat", "-z"));
    expect(bare.map((f) => [f.path, f.oldPath, f.status])).toEqual(raw.map((f) => [f.path, f.oldPath, f.status === "R" ? "R" : "M"]));

    const crlf = parseUnifiedDiff(await git(dir, "diff", "--cached", "--", "crlf.txt"));
    expect(crlf.lines.filter((l) => l.kind === "add").map((l) => l.text)).toEqual(["B"]);
    expect(crlf.lines.find((l) => l.kind === "del")).toMatchObject({ text: "b", old: 2, new: null });
    const bin = parseUnifiedDiff(await git(dir, "diff", "--cached", "--", "pic.bin"));
    expect(bin.binary).toBe(true);
  });

  test("unified diff: hunks set line numbers, no-newline is meta, a 10k-line file is capped with a count", async () => {
    const dir = await repo();
    write(dir, "big.txt", lines(10_000));
    write(dir, "tail.txt", "x\ny");
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "big");
    write(dir, "big.txt", lines(10_000, "changed"));
    write(dir, "tail.txt", "x\nz\n");
    const tail = parseUnifiedDiff(await git(dir, "diff", "--", "tail.txt"));
    expect(tail.lines.map((l) => l.kind)).toEqual(["meta", "meta", "meta", "meta", "hunk", "context", "del", "meta", "add"]);
    expect(tail.lines[5]).toMatchObject({ text: "x", old: 1, new: 1 });
    expect(tail.lines[8]).toMatchObject({ text: "z", new: 2 });
    const out = await git(dir, "diff", "--", "big.txt");
    const all = parseUnifiedDiff(out, 100_000);
    expect(all.more).toBe(0);
    expect(all.lines.filter((l) => l.kind === "add")).toHaveLength(10_000);
    expect(all.lines.at(-1)).toMatchObject({ kind: "add", text: "changed 10000", new: 10_000 });
    const capped = parseUnifiedDiff(out, 5000);
    expect(capped.lines).toHaveLength(5000);
    expect(capped.more).toBe(all.lines.length - 5000);
  });

  test("log -z with a unit separator: subjects with tabs, pipes and quotes survive", async () => {
    const dir = await repo();
    write(dir, "a", "1");
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", 'one | "two"\tthree');
    write(dir, "a", "2");
    await git(dir, "commit", "-q", "-am", "second");
    const commits = parseLog(await git(dir, "log", "-z", `--format=${LOG_FORMAT}`));
    expect(commits.map((c) => c.subject)).toEqual(["second", 'one | "two"\tthree']);
    expect(commits[0]?.author).toBe("Ada Ł");
    expect(commits[0]?.sha).toBe((await git(dir, "rev-parse", "HEAD")).trim());
    expect(Math.abs((commits[0]?.time ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});

describe("diffs service through the router", () => {
  async function setup() {
    const dir = await repo();
    write(dir, "src/app.ts", lines(20));
    write(dir, "gone.txt", "bye\n");
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "initial");
    const agent = await services.agents.create({ name: "Diffy", folder: dir });
    const api = callerFor(services, (await pairedOwner(services)).principal);
    return { dir, agent, api };
  }

  test("unstaged includes untracked files as added; staged is the index; a path must be a changed file", async () => {
    const { dir, agent, api } = await setup();
    write(dir, "src/app.ts", lines(20).replace("line 5\n", "line five\n"));
    write(dir, "new file ü.md", "a\nb\nc");
    write(dir, "blob.bin", Buffer.from([0, 0, 1, 2]));
    fs.rmSync(path.join(dir, "gone.txt"));
    const unstaged = await api.diffs.files({ agentId: agent.id, staged: false });
    const m = Object.fromEntries(unstaged.files.map((f) => [f.path, f]));
    expect(m["src/app.ts"]).toMatchObject({ status: "M", added: 1, removed: 1 });
    expect(m["gone.txt"]).toMatchObject({ status: "D", removed: 1 });
    expect(m["new file ü.md"]).toMatchObject({ status: "?", added: 3 });
    expect(m["blob.bin"]).toMatchObject({ status: "?", binary: true });
    expect((await api.diffs.files({ agentId: agent.id, staged: true })).files).toEqual([]);

    const one = await api.diffs.file({ agentId: agent.id, path: "src/app.ts", staged: false });
    expect(one.lines.filter((l) => l.kind !== "meta" && l.kind !== "hunk" && l.kind !== "context").map((l) => [l.kind, l.text])).toEqual([
      ["del", "line 5"],
      ["add", "line five"],
    ]);
    const untracked = await api.diffs.file({ agentId: agent.id, path: "new file ü.md", staged: false });
    expect(untracked.lines.filter((l) => l.kind === "add").map((l) => l.text)).toEqual(["a", "b", "c"]);
    const bin = await api.diffs.file({ agentId: agent.id, path: "blob.bin", staged: false });
    expect(bin).toMatchObject({ binary: true, bytes: { before: 0, after: 4 } });
    await expect(api.diffs.file({ agentId: agent.id, path: "../etc/passwd", staged: false })).rejects.toThrow(/has no unstaged changes/);
    await expect(api.diffs.file({ agentId: agent.id, path: "--output=/tmp/x", staged: false })).rejects.toThrow(/has no unstaged/);

    await git(dir, "add", "src/app.ts");
    const staged = await api.diffs.files({ agentId: agent.id, staged: true });
    expect(staged.files.map((f) => f.path)).toEqual(["src/app.ts"]);
    expect((await api.diffs.file({ agentId: agent.id, path: "src/app.ts", staged: true })).lines.some((l) => l.text === "line five")).toBe(
      true,
    );
  });

  test("log pages by sha, a commit's files and a file's diff; bad shas are clear errors", async () => {
    const { dir, agent, api } = await setup();
    write(dir, "src/app.ts", lines(21));
    await git(dir, "mv", "gone.txt", "kept.txt");
    await git(dir, "commit", "-q", "-am", "second");
    write(dir, "bin.dat", Buffer.from([0, 1, 0, 1, 0, 1]));
    await git(dir, "add", "-A");
    await git(dir, "commit", "-q", "-m", "third");
    const page1 = await api.diffs.log({ agentId: agent.id, limit: 2 });
    expect(page1.commits.map((c) => c.subject)).toEqual(["third", "second"]);
    expect(page1.more).toBe(true);
    const page2 = await api.diffs.log({ agentId: agent.id, limit: 2, cursor: page1.commits[1]!.sha });
    expect(page2).toMatchObject({ commits: [{ subject: "initial", author: "Ada Ł" }], more: false });

    const second = await api.diffs.commit({ agentId: agent.id, sha: page1.commits[1]!.sha.slice(0, 7) });
    const files = Object.fromEntries(second.files.map((f) => [f.path, f]));
    expect(files["kept.txt"]).toMatchObject({ status: "R", oldPath: "gone.txt" });
    expect(files["src/app.ts"]).toMatchObject({ added: 1, removed: 0 });
    const d = await api.diffs.commitFile({ agentId: agent.id, sha: second.sha, path: "src/app.ts" });
    expect(d.lines.filter((l) => l.kind === "add")).toEqual([{ kind: "add", text: "line 21", old: null, new: 21 }]);
    const root = await api.diffs.commit({ agentId: agent.id, sha: page2.commits[0]!.sha });
    expect(root.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ["gone.txt", "A"],
      ["src/app.ts", "A"],
    ]);
    const bin = await api.diffs.commitFile({ agentId: agent.id, sha: page1.commits[0]!.sha, path: "bin.dat" });
    expect(bin).toMatchObject({ binary: true, bytes: { before: 0, after: 6 } });

    await expect(api.diffs.commit({ agentId: agent.id, sha: "HEAD~1" })).rejects.toThrow(/4 to 40 hex/);
    await expect(api.diffs.commit({ agentId: agent.id, sha: "deadbeef" })).rejects.toThrow(/No commit deadbeef/);
  });

  test("a diff past the cap stops with a count of the rest; full asks for all of it", async () => {
    const { dir, agent, api } = await setup();
    write(dir, "huge.txt", lines(25_000));
    const capped = await api.diffs.file({ agentId: agent.id, path: "huge.txt", staged: false });
    expect(capped.lines).toHaveLength(20_000);
    // Five header lines and one @@ line come before the 25,000 additions.
    expect(capped.more).toBe(25_000 + 5 + 1 - 20_000);
    const all = await api.diffs.file({ agentId: agent.id, path: "huge.txt", staged: false, full: true });
    expect(all.more).toBe(0);
    expect(all.lines.at(-1)).toMatchObject({ kind: "add", text: "line 25000", new: 25_000 });
  });

  test("not a repository is a NOT_FOUND naming the agent; a fresh repo has an empty log", async () => {
    const plain = tempDir("maestro-gdiff-plain-");
    dirs.push(plain);
    const agent = await services.agents.create({ name: "Loose", folder: plain });
    const api = callerFor(services, (await pairedOwner(services)).principal);
    await expect(api.diffs.files({ agentId: agent.id, staged: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Loose is not in a git repository.",
    });
    const fresh = await repo();
    write(fresh, "a.txt", "1\n");
    await git(fresh, "add", "a.txt");
    const agent2 = await services.agents.create({ name: "Fresh", folder: fresh });
    expect(await api.diffs.log({ agentId: agent2.id, limit: 10 })).toEqual({ commits: [], more: false });
    expect((await api.diffs.files({ agentId: agent2.id, staged: true })).files).toMatchObject([{ path: "a.txt", status: "A", added: 1 }]);
  });
});
