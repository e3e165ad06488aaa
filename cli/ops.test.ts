import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../server/testing/harness";
import { BIN, ROOT } from "./testing/fake-bridge";
import { startRealBridge, type RealBridge } from "./testing/real-bridge";

/**
 * Agent and group editing, share links, the tunnel's status, terminals and the git commands
 * (create-worktree, diff, pr) through the real bin against one real bridge.
 */
let bridge: RealBridge;
let root: string;
let repo: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, encoding: "utf8" });

beforeAll(async () => {
  bridge = await startRealBridge();
  root = tempDir("maestro-cli-ops-");
  repo = path.join(root, "repo");
  fs.mkdirSync(repo);
  git(repo, "init", "-q", "-b", "main");
  fs.writeFileSync(path.join(repo, "a.txt"), "one\ntwo\n");
  git(repo, "add", "a.txt");
  git(repo, "commit", "-q", "-m", "first");
});
afterAll(async () => {
  await bridge.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const json = (s: string) => JSON.parse(s);
const agentNamed = async (name: string) => (await bridge.services.agents.list()).find((a) => a.name === name);

/** The bin run from another folder (for a relative --path). */
function cliIn(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { MAESTRO_HOME: _h, MAESTRO_URL: _u, MAESTRO_TOKEN: _t, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, "--data-dir", bridge.home, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("agents and groups", () => {
  it("create-group, then create-agent with a relative --path, a group and a model", async () => {
    const g = await bridge.cli(["create-group", "Backend", "--json"]);
    expect(g.code, g.stderr).toBe(0);
    const group = json(g.stdout);
    expect(group).toMatchObject({ success: true, name: "Backend" });
    const r = await cliIn(root, [
      "create-agent",
      "api",
      "--path",
      "repo",
      "--provider",
      "simulator",
      "--group",
      "backend",
      "--model",
      "sim-large",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ success: true, name: "api", provider: "simulator", folder: fs.realpathSync(repo), groupId: group.groupId });
    expect((await bridge.services.agents.settings(out.agentId)).model).toBe("sim-large");
    const text = await bridge.cli(["create-agent", "web", "--path", repo, "--provider", "simulator"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Created agent web \(\w+\) in \/.*repo\.\n$/);
  });

  it("a bad provider or folder is refused with a readable message (exit 2), and nothing is stored", async () => {
    const before = (await bridge.services.agents.list()).length;
    const p = await bridge.cli(["create-agent", "x", "--path", repo, "--provider", "bash"]);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/^maestro: --provider "bash" is not one of simulator, claude, codex, opencode, gemini\.\n$/);
    const f = await bridge.cli(["create-agent", "x", "--path", path.join(root, "nope"), "--provider", "simulator"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/^maestro: No folder at .*nope\.\n$/);
    const n = await bridge.cli(["create-agent", " ", "--path", repo, "--provider", "simulator"]);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe("maestro: Give it a name.\n");
    expect((await bridge.services.agents.list()).length).toBe(before);
  });

  it("update-agent, rename-agent and bookmark change what they say", async () => {
    const u = await bridge.cli(["update-agent", "web", "--group", "Backend", "--provider", "codex", "--model", "gpt-x"]);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toBe("Updated web: provider codex, group Backend, model gpt-x.\n");
    let web = (await agentNamed("web"))!;
    expect(web.provider).toBe("codex");
    expect(web.groupId).not.toBeNull();
    expect((await bridge.services.agents.settings(web.id)).model).toBe("gpt-x");
    const back = json(
      (await bridge.cli(["update-agent", "web", "--group", "none", "--provider", "simulator", "--model", "", "--json"])).stdout,
    );
    expect(back).toMatchObject({ success: true, provider: "simulator", groupId: null });
    expect((await bridge.services.agents.settings(web.id)).model).toBeUndefined();
    expect((await bridge.cli(["update-agent", "web"])).code).toBe(2);

    const r = await bridge.cli(["rename-agent", "web", "Web UI"]);
    expect(r.stdout).toBe("Renamed web to Web UI.\n");
    const b = json((await bridge.cli(["bookmark", "web ui", "--json"])).stdout);
    expect(b).toEqual({ success: true, agentId: web.id, bookmarked: true });
    expect((await bridge.cli(["bookmark", web.id, "--off"])).stdout).toBe("Unbookmarked Web UI.\n");
    web = (await agentNamed("Web UI"))!;
    expect(web.bookmarked).toBe(false);
  });

  it("remove-agent needs --yes when nobody can be asked, and an exact id, a name or 4+ characters of the id", async () => {
    const web = (await agentNamed("Web UI"))!;
    const piped = await bridge.cli(["remove-agent", "Web UI"]);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/pass --yes to confirm/);
    const short = await bridge.cli(["remove-agent", web.id.slice(0, 2), "--yes"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 4 characters of its id/);
    expect(await agentNamed("Web UI")).toBeDefined();
    const gone = await bridge.cli(["remove-agent", web.id.slice(0, 12), "--yes", "--json"]);
    expect(gone.code, gone.stderr).toBe(0);
    expect(json(gone.stdout)).toEqual({ success: true, agentId: web.id, name: "Web UI" });
    expect(await agentNamed("Web UI")).toBeUndefined();
    const again = await bridge.cli(["remove-agent", web.id, "--yes"]);
    expect(again.code).toBe(4);
  });
});

describe("remove-agent on a terminal", () => {
  /** The bin under a pty (`script`), answering the prompt with `answer`. */
  function onTerminal(args: string[], answer: string): Promise<{ code: number | null; out: string }> {
    const cmd = [process.execPath, BIN, "--data-dir", bridge.home, ...args].map((a) => `'${a}'`).join(" ");
    const child = spawn("script", ["-q", "-e", "-c", cmd, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("[y/N]")) child.stdin.end(`${answer}\n`);
    });
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, out: out.replace(/\r/g, "") })));
  }

  it("asks first: no keeps it (exit 1), yes removes it", async () => {
    const doomed = await bridge.services.agents.create({ name: "doomed", folder: repo, provider: "simulator" });
    const no = await onTerminal(["remove-agent", "doomed"], "n");
    expect(no.out).toContain(`Remove doomed (${doomed.id}) with its tabs and playbooks? Its folder stays. [y/N]`);
    expect(no.code).toBe(1);
    expect(no.out).toContain("maestro: not removed.");
    expect(await agentNamed("doomed")).toBeDefined();
    const yes = await onTerminal(["remove-agent", "doomed"], "y");
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toContain(`Removed doomed (${doomed.id}).`);
    expect(await agentNamed("doomed")).toBeUndefined();
  });
});

describe("share links, tunnel, terminals (bridge only)", () => {
  it("share create prints a link; list shows it; revoke ends it; a second revoke is exit 4", async () => {
    const c = await bridge.cli(["share", "create", "api", "--scope", "control", "--expires", "2h", "--label", "Sam", "--json"]);
    expect(c.code, c.stderr).toBe(0);
    const link = json(c.stdout);
    expect(link.url).toMatch(new RegExp(`^${bridge.url}/share#token=[A-Za-z0-9_-]{40,}$`));
    expect(link).toMatchObject({ success: true, permission: "control", label: "Sam" });
    const expires = new Date(link.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(7000_000);
    expect(expires).toBeLessThanOrEqual(7200_000);
    // The token in the link is a working share token.
    const token = link.url.split("#token=")[1];
    expect((await bridge.services.share.authenticate(token))?.ok).toBe(true);

    expect(link.canApprove).toBe(false);
    const approving = json((await bridge.cli(["share", "create", "api", "--scope", "control", "--can-approve", "--json"])).stdout);
    expect(approving).toMatchObject({ permission: "control", canApprove: true });
    expect(await bridge.services.share.authenticate(approving.url.split("#token=")[1])).toMatchObject({
      ok: true,
      principal: { canApprove: true },
    });
    const refused = await bridge.cli(["share", "create", "api", "--can-approve"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--can-approve needs --scope control/);
    expect((await bridge.cli(["share", "list"])).stdout).toMatch(/control\+approve/);

    const plain = await bridge.cli(["share", "create", "api"]);
    expect(plain.stdout).toMatch(/\/share#token=/);
    expect(plain.stderr).toMatch(/maestro tunnel start/);

    const listed = json((await bridge.cli(["share", "list", "--json"])).stdout);
    expect(listed.find((l: { id: string }) => l.id === link.id)).toMatchObject({
      state: "active",
      permission: "control",
      agentName: "api",
    });
    const r = await bridge.cli(["share", "revoke", link.id]);
    expect(r.code, r.stderr).toBe(0);
    expect((await bridge.services.share.authenticate(token))?.ok).toBe(false);
    const twice = await bridge.cli(["share", "revoke", link.id]);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toBe("maestro: That link is already revoked.\n");
    expect(json((await bridge.cli(["share", "list", "--json"])).stdout).find((l: { id: string }) => l.id === link.id).state).toBe(
      "revoked",
    );
  });

  it("bad share options are usage errors", async () => {
    expect((await bridge.cli(["share", "create", "api", "--scope", "admin"])).code).toBe(2);
    expect((await bridge.cli(["share", "create", "api", "--expires", "soon"])).code).toBe(2);
    const short = await bridge.cli(["share", "create", "api", "--expires", "10m"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toBe("maestro: A link lasts at least 1 hour.\n");
    expect((await bridge.cli(["share", "create", "ghost"])).code).toBe(4);
  });

  it("tunnel start waits for the public URL and prints it; share links then use it; tunnel stop", async () => {
    // The repo's stand-in cloudflared (prints a trycloudflare URL, opens no connection).
    await bridge.services.tunnel.configure({ binaryPath: path.join(ROOT, "test", "fixtures", "bin", "cloudflared") });
    try {
      const start = await bridge.cli(["tunnel", "start"]);
      expect(start.code, start.stderr).toBe(0);
      const url = /^running (https:\/\/[a-z0-9-]+\.trycloudflare\.com)\n$/.exec(start.stdout)?.[1];
      expect(url, start.stdout).toBeTruthy();
      expect(json((await bridge.cli(["tunnel", "status", "--json"])).stdout)).toMatchObject({ state: "running", url });
      const link = await bridge.cli(["share", "create", "api"]);
      expect(link.stdout).toMatch(new RegExp(`^${url}/share#token=[A-Za-z0-9_-]+\n$`));
      expect(link.stderr).toBe("");
      const stop = await bridge.cli(["tunnel", "stop", "--json"]);
      expect(json(stop.stdout)).toMatchObject({ state: "idle", url: null });
    } finally {
      await bridge.services.tunnel.stop();
      await bridge.services.tunnel.configure({ binaryPath: null });
    }
  });

  it("tunnel status and list terminals answer", async () => {
    const t = await bridge.cli(["tunnel", "status", "--json"]);
    expect(t.code, t.stderr).toBe(0);
    expect(["idle", "missing"]).toContain(json(t.stdout).state);
    const api = (await agentNamed("api"))!;
    const term = await bridge.services.terminals.create(api.id, { cols: 80, rows: 24 });
    try {
      const l = json((await bridge.cli(["list", "terminals", "--json"])).stdout);
      expect(l.map((x: { id: string; agentName: string }) => [x.id, x.agentName])).toEqual([[term.id, "api"]]);
    } finally {
      await bridge.services.terminals.close(term.id);
    }
    expect((await bridge.cli(["list", "terminals"])).stdout).toBe("No terminals.\n");
  });
});

describe("git: diff, create-worktree, pr", () => {
  it("diff prints the unified diff with untracked files; --stat sums it; --staged shows the index", async () => {
    fs.writeFileSync(path.join(repo, "a.txt"), "one\n2\n");
    fs.writeFileSync(path.join(repo, "new.txt"), "fresh\n");
    const d = await bridge.cli(["diff", "api"]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toContain("diff --git a/a.txt b/a.txt");
    expect(d.stdout).toContain("\n-two\n+2\n");
    expect(d.stdout).toContain("+fresh");
    // What git itself says, for the tracked file.
    expect(d.stdout).toContain(git(repo, "diff", "--no-color", "--", "a.txt").split("\n").slice(-4).join("\n"));
    const stat = await bridge.cli(["diff", "api", "--stat"]);
    expect(stat.stdout).toMatch(/ a\.txt\s+\|\s+2 \+-\n new\.txt\s+\|\s+1 \+\n 2 files changed, 2 insertions\(\+\), 1 deletion\(-\)\n$/);
    expect((await bridge.cli(["diff", "api", "--staged"])).stdout).toBe("No changes.\n");
    git(repo, "add", "a.txt");
    const staged = json((await bridge.cli(["diff", "api", "--staged", "--json"])).stdout);
    expect(staged.files.map((f: { path: string; diff: string }) => [f.path, f.diff.includes("+2")])).toEqual([["a.txt", true]]);
    git(repo, "commit", "-q", "-m", "second");
    fs.rmSync(path.join(repo, "new.txt"));
  });

  it("create-worktree makes a worktree agent on a new branch; pr pushes it", async () => {
    const r = await bridge.cli(["create-worktree", "api", "feature/login", "--name", "api-login", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const wt = json(r.stdout);
    expect(wt).toMatchObject({ success: true, name: "api-login", branch: "feature/login", base: "main" });
    expect(git(wt.folder, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("feature/login");
    const again = await bridge.cli(["create-worktree", "api", "feature/login"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/A branch named feature\/login already exists/);

    const remote = path.join(root, "remote.git");
    git(root, "init", "-q", "--bare", remote);
    git(repo, "remote", "add", "origin", remote);
    fs.writeFileSync(path.join(wt.folder, "login.txt"), "login\n");
    git(wt.folder, "add", "login.txt");
    git(wt.folder, "commit", "-q", "-m", "Add login");
    const p = await bridge.cli(["pr", "api-login", "--title", "Login", "--json"]);
    // Pushed, but a bare remote on disk has no page to open a pull request on: not a success.
    expect(p.code, p.stderr).toBe(1);
    expect(json(p.stdout)).toMatchObject({ success: false, url: null, branch: "feature/login", base: "main", remote: "origin" });
    expect(git(remote, "rev-parse", "refs/heads/feature/login").trim()).toBe(git(wt.folder, "rev-parse", "HEAD").trim());
  });
});

describe("a stopped bridge", () => {
  it("bridge-only commands are exit 3 and say how to start it", async () => {
    await bridge.stop();
    for (const args of [
      ["share", "list"],
      ["tunnel", "status"],
      ["list", "terminals"],
    ]) {
      const r = await bridge.cli(args);
      expect(r.code, args.join(" ")).toBe(3);
      expect(r.stderr).toMatch(/^maestro: Maestro is not running for .*Start it with `npm start` \(or `maestro start`\)/);
    }
  });
});
