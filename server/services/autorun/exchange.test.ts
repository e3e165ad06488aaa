import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { EXCHANGE_CACHE_FILE, LOCAL_MANIFEST_FILE } from "../../../lib/autorun/exchange";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { closedPort, startRegistry } from "../../testing/registry-server";

/**
 * Our own fixtures in the registry's format (RunMaestro/Maestro-Playbooks manifest.json, as
 * desktop's src/shared/marketplace-types.ts describes it): `id`, `title`, `description`,
 * `category`, `subcategory`, `author`, `tags`, `lastUpdated`, `path`, `documents` (filenames
 * without `.md`), `loopEnabled`, `maxLoops`, `prompt` (null: the built-in one), `assets`.
 */
const ANALYZE = "# Analyze\n\n- [ ] Map the attack surface\n";
const FIND = "# Find issues\n\n- [ ] List the findings\n";
const PROGRESS = "# Progress\n\n- [ ] Pick the next finding\n";
const README = "# Security Audit\n\nFinds what is exploitable and fixes the worst first.\n";
const INIT = "# Initialize\n\n- [ ] Create the vault\n";
const AGENT_PROMPT = "# Agent prompt\n\nResearch one company per loop.\n";
const YAML = "market: EV charging\n";
const PNG = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));

const entry = (over: Record<string, unknown>) => ({
  description: "A fixture playbook.",
  author: "Fixture Author",
  authorLink: "https://example.com/author",
  lastUpdated: "2026-01-10",
  loopEnabled: false,
  maxLoops: null,
  prompt: null,
  ...over,
});

const MANIFEST = {
  lastUpdated: "2026-01-10",
  playbooks: [
    entry({
      id: "development-security",
      title: "Security Audit",
      category: "Development",
      subcategory: "Security",
      tags: ["security", "owasp"],
      path: "Development/Security",
      documents: [
        { filename: "1_ANALYZE", resetOnCompletion: false },
        { filename: "2_FIND_ISSUES", resetOnCompletion: false },
        { filename: "5_PROGRESS", resetOnCompletion: true },
      ],
      loopEnabled: true,
      maxLoops: 5,
    }),
    entry({
      id: "research-market",
      title: "Market Research",
      category: "Research",
      path: "Research/Market",
      documents: [
        { filename: "0_INITIALIZE", resetOnCompletion: false },
        { filename: "Agent-Prompt.md", resetOnCompletion: false },
      ],
      loopEnabled: true,
      maxLoops: 30,
      prompt: "Research {{AGENT_NAME}}'s market.",
      assets: ["config.yaml", "img/diagram.png"],
    }),
    entry({
      id: "devops-deploy",
      title: "Deploy Check",
      category: "DevOps",
      path: "DevOps/Deploy",
      documents: [{ filename: "1_CHECK", resetOnCompletion: false }],
    }),
    entry({
      id: "hostile-climb",
      title: "Climb",
      category: "Evil",
      path: "../../etc",
      documents: [{ filename: "passwd", resetOnCompletion: false }],
    }),
    entry({
      id: "hostile-abs",
      title: "Absolute",
      category: "Evil",
      path: "/etc",
      documents: [{ filename: "passwd", resetOnCompletion: false }],
    }),
    entry({
      id: "hostile-home",
      title: "Home",
      category: "Evil",
      path: "~/.ssh",
      documents: [{ filename: "id_rsa", resetOnCompletion: false }],
    }),
    entry({
      id: "hostile-url",
      title: "Elsewhere",
      category: "Evil",
      path: "https://evil.example/x",
      documents: [{ filename: "a", resetOnCompletion: false }],
    }),
  ],
};

const REGISTRY_FILES = {
  "manifest.json": JSON.stringify(MANIFEST, null, 2),
  "Development/Security/1_ANALYZE.md": ANALYZE,
  "Development/Security/2_FIND_ISSUES.md": FIND,
  "Development/Security/5_PROGRESS.md": PROGRESS,
  "Development/Security/README.md": README,
  "Research/Market/0_INITIALIZE.md": INIT,
  "Research/Market/Agent-Prompt.md": AGENT_PROMPT,
  "Research/Market/assets/config.yaml": YAML,
  "Research/Market/assets/img/diagram.png": PNG,
  "DevOps/Deploy/1_CHECK.md": "# Check\n\n- [ ] Deploy\n",
};

let registry: Awaited<ReturnType<typeof startRegistry>>;
let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let root: string;
let home: string;
let project: string;
let folder: string;
let agentId: string;

async function refusal(call: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected a refusal");
}

const localManifest = (playbooks: unknown[]) =>
  fs.writeFileSync(path.join(services.dataDir, LOCAL_MANIFEST_FILE), JSON.stringify({ lastUpdated: "2026-02-01", playbooks }));

beforeAll(async () => {
  root = tempDir("maestro-exchange-");
  home = path.join(root, "home");
  fs.mkdirSync(home);
  process.env.MAESTRO_SIM_HOME = path.join(root, "simhome");
  // Short enough for the hang case; long enough that a 4.9 MB document on a busy machine (the
  // suites run side by side) is not taken for a hang.
  services = createTestServices({ exchange: { home, timeoutMs: 5000 } });
  caller = callerFor(services, (await pairedOwner(services)).principal);
});
beforeEach(async () => {
  registry = await startRegistry(REGISTRY_FILES);
  await caller.exchange.setUrl({ url: registry.url });
  project = fs.mkdtempSync(path.join(root, "project-"));
  folder = path.join(project, ".maestro", "playbooks");
  agentId = (await caller.agents.create({ name: `ex ${Date.now()}`, folder: project, provider: "simulator" })).id;
});
afterEach(async () => {
  await registry.close();
  fs.rmSync(path.join(services.dataDir, LOCAL_MANIFEST_FILE), { force: true });
  fs.rmSync(path.join(services.dataDir, EXCHANGE_CACHE_FILE), { force: true });
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("catalogue", () => {
  test("the registry's entries, in order, tagged official; hostile paths are left out with the reason", async () => {
    const cat = await caller.exchange.catalogue();
    expect(cat.official).toMatchObject({ url: registry.url, state: "live", error: null });
    expect(cat.entries.map((e) => e.key)).toEqual(["development-security", "research-market", "devops-deploy"]);
    const security = cat.entries[0]!;
    expect(security).toMatchObject({
      name: "Security Audit",
      category: "Development",
      subcategory: "Security",
      author: "Fixture Author",
      authorLink: "https://example.com/author",
      tags: ["security", "owasp"],
      documents: 3,
      documentNames: ["1_ANALYZE.md", "2_FIND_ISSUES.md", "5_PROGRESS.md"],
      loopEnabled: true,
      maxLoops: 5,
      source: "official",
      folder: "development/security-audit",
    });
    expect(cat.entries[1]).toMatchObject({ assets: 2, documentNames: ["0_INITIALIZE.md", "Agent-Prompt.md"] });
    expect(cat.skipped).toHaveLength(4);
    expect(cat.skipped.find((s) => s.startsWith("Climb:"))).toContain("leads out of the registry");
    expect(cat.skipped.find((s) => s.startsWith("Absolute:"))).toContain("not a folder of the registry");
    expect(cat.skipped.find((s) => s.startsWith("Home:"))).toContain("not a folder of the registry");
    expect(cat.skipped.find((s) => s.startsWith("Elsewhere:"))).toContain("not a folder of the registry");
    expect(cat.local).toEqual({ count: 0, error: null });
    // The last good copy is kept, with when it was fetched.
    const cache = JSON.parse(fs.readFileSync(path.join(services.dataDir, EXCHANGE_CACHE_FILE), "utf8"));
    expect(cache.url).toBe(registry.url);
    expect(cache.playbooks).toHaveLength(MANIFEST.playbooks.length);
    expect(new Date(cache.fetchedAt).toISOString()).toBe(cat.official.fetchedAt);
  });

  test("local-manifest.json overrides an official entry by id and appends its own, tagged local", async () => {
    const mine = path.join(root, "mine-security");
    fs.mkdirSync(mine, { recursive: true });
    localManifest([
      entry({
        id: "development-security",
        title: "Security Audit (ours)",
        category: "Development",
        path: mine,
        documents: [{ filename: "1_ANALYZE", resetOnCompletion: false }],
      }),
      entry({
        id: "team-notes",
        title: "Team Notes",
        category: "Team",
        path: "~/notes",
        documents: [{ filename: "1_NOTES", resetOnCompletion: false }],
      }),
      { title: "No id", path: "x", documents: [] },
    ]);
    const cat = await caller.exchange.catalogue();
    expect(cat.entries.map((e) => [e.key, e.source, e.name])).toEqual([
      ["development-security", "local", "Security Audit (ours)"],
      ["research-market", "official", "Market Research"],
      ["devops-deploy", "official", "Deploy Check"],
      ["team-notes", "local", "Team Notes"],
    ]);
    expect(cat.local).toEqual({ count: 3, error: null });
    expect(cat.skipped).toContain("local-manifest.json entry 3: it has no id");
  });

  test("a broken local-manifest.json is named; the registry still lists", async () => {
    fs.writeFileSync(path.join(services.dataDir, LOCAL_MANIFEST_FILE), "{ not json");
    const cat = await caller.exchange.catalogue();
    expect(cat.local.error).toMatch(/^local-manifest\.json: That file is not valid JSON/);
    expect(cat.entries).toHaveLength(3);
  });

  test("offline with a cache: the last good catalogue, when it was fetched, and why it is not fresh", async () => {
    const live = await caller.exchange.catalogue();
    localManifest([
      entry({
        id: "team-notes",
        title: "Team Notes",
        category: "Team",
        path: "Team/Notes",
        documents: [{ filename: "1", resetOnCompletion: false }],
      }),
    ]);
    await registry.close();
    const cat = await caller.exchange.catalogue();
    expect(cat.official).toEqual({ url: registry.url, state: "cached", fetchedAt: live.official.fetchedAt, error: "connection refused" });
    expect(cat.entries.map((e) => e.key)).toEqual(["development-security", "research-market", "devops-deploy", "team-notes"]);
    // A preview needs the registry itself: it says so instead of failing the screen.
    const preview = await caller.exchange.preview({ key: "development-security" });
    expect(preview).toMatchObject({ content: null, error: "connection refused" });
    registry = await startRegistry(REGISTRY_FILES); // for afterEach
  });

  test("unreachable without a cache: the reason, and local entries still list", async () => {
    const port = await closedPort();
    await caller.exchange.setUrl({ url: `http://127.0.0.1:${port}/main/manifest.json` });
    localManifest([
      entry({
        id: "team-notes",
        title: "Team Notes",
        category: "Team",
        path: "~/notes",
        documents: [{ filename: "1", resetOnCompletion: false }],
      }),
    ]);
    const cat = await caller.exchange.catalogue();
    expect(cat.official).toMatchObject({ state: "unreachable", fetchedAt: null, error: "connection refused" });
    expect(cat.entries.map((e) => [e.key, e.source])).toEqual([["team-notes", "local"]]);
  });

  test("a cache of another URL is not shown for this one", async () => {
    await caller.exchange.catalogue();
    const port = await closedPort();
    await caller.exchange.setUrl({ url: `http://127.0.0.1:${port}/manifest.json` });
    const cat = await caller.exchange.catalogue();
    expect(cat.official.state).toBe("unreachable");
    expect(cat.entries).toEqual([]);
  });

  test.each([
    [
      "a manifest over 2 MB (declared)",
      { "manifest.json": JSON.stringify({ playbooks: [], pad: "x".repeat(2_100_000) }) },
      "it is over 1.9 MB",
    ],
    ["a manifest over 2 MB (streamed)", { "manifest.json": { chunked: Buffer.alloc(2_100_000, 32) } }, "it is over 1.9 MB"],
    ["not JSON", { "manifest.json": "<html>rate limited</html>" }, "it answered with something that is not JSON"],
    ["JSON without playbooks", { "manifest.json": JSON.stringify({ items: [] }) }, "it answered with JSON that is not a manifest"],
    ["a server error", { "manifest.json": { status: 503 } }, "HTTP 503 Service Unavailable"],
    [
      "a redirect to another site",
      { "manifest.json": { redirect: "http://localhost:1/manifest.json" } },
      "it points to another site (http://localhost:1)",
    ],
    ["no answer", { "manifest.json": { hang: true as const } }, "no answer within 5 s"],
  ])("%s: refused with the reason, nothing cached", async (_, files, reason) => {
    for (const [file, reply] of Object.entries(files)) registry.set(file, reply);
    const cat = await caller.exchange.catalogue();
    expect(cat.official.state).toBe("unreachable");
    expect(cat.official.error).toContain(reason);
    expect(fs.existsSync(path.join(services.dataDir, EXCHANGE_CACHE_FILE))).toBe(false);
  });

  test("a redirect within the registry's origin is followed", async () => {
    registry.set("manifest.json", { redirect: "/main/v2/manifest.json" });
    registry.set("v2/manifest.json", REGISTRY_FILES["manifest.json"]);
    const cat = await caller.exchange.catalogue();
    expect(cat.official.state).toBe("live");
    expect(cat.entries).toHaveLength(3);
  });
});

describe("preview", () => {
  test("the README, a document, and a clear null when there is no README", async () => {
    const readme = await caller.exchange.preview({ key: "development-security" });
    expect(readme).toEqual({
      key: "development-security",
      file: "README.md",
      documents: ["1_ANALYZE.md", "2_FIND_ISSUES.md", "5_PROGRESS.md"],
      content: README,
      error: null,
    });
    expect((await caller.exchange.preview({ key: "development-security", file: "2_FIND_ISSUES" })).content).toBe(FIND);
    expect(await caller.exchange.preview({ key: "research-market" })).toMatchObject({ content: null, error: null });
    const other = await refusal(caller.exchange.preview({ key: "development-security", file: "../../manifest" }));
    expect(other.message).toContain("is not a document of “Security Audit”");
    expect((await refusal(caller.exchange.preview({ key: "nope" }))).message).toBe("“nope” is not in the Playbook Exchange's catalogue.");
  });

  test.each(["hostile-climb", "hostile-abs", "hostile-home", "hostile-url"])(
    "%s: refused, and nothing outside the registry is read",
    async (key) => {
      const err = await refusal(caller.exchange.preview({ key }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.message).toMatch(/cannot be imported: The path .* (leads out of the registry|is not a folder of the registry)/);
      expect((await refusal(caller.exchange.import({ agentId, key }))).code).toBe("BAD_REQUEST");
      expect(registry.requests.filter((r) => r !== "/main/manifest.json")).toEqual([]);
    },
  );
});

describe("import", () => {
  test("fetches the documents and assets into <category>/<title>/ and creates the playbook", async () => {
    const pb = await caller.exchange.import({ agentId, key: "research-market" });
    expect(pb).toMatchObject({ name: "Market Research", agentId, folder: "research/market-research", missing: [] });
    expect(pb.config).toMatchObject({
      documents: [
        { filename: "research/market-research/0_INITIALIZE", resetOnCompletion: false },
        { filename: "research/market-research/Agent-Prompt.md", resetOnCompletion: false },
      ],
      loopEnabled: true,
      maxLoops: 30,
      prompt: "Research {{AGENT_NAME}}'s market.",
      assets: ["config.yaml", "img/diagram.png"],
    });
    const dir = path.join(folder, "research", "market-research");
    expect(fs.readFileSync(path.join(dir, "0_INITIALIZE.md"), "utf8")).toBe(INIT);
    expect(fs.readFileSync(path.join(dir, "Agent-Prompt.md"), "utf8")).toBe(AGENT_PROMPT);
    expect(fs.readFileSync(path.join(dir, "assets", "config.yaml"), "utf8")).toBe(YAML);
    expect(fs.readFileSync(path.join(dir, "assets", "img", "diagram.png")).equals(PNG)).toBe(true);
    expect((await caller.playbooks.list({ agentId })).map((p) => p.name)).toEqual(["Market Research"]);
    // The registry's `prompt: null` is the built-in prompt, stored as "".
    const security = await caller.exchange.import({ agentId, key: "development-security" });
    expect(security.config.prompt).toBe("");
    expect(security.config.documents[2]).toEqual({ filename: "development/security-audit/5_PROGRESS", resetOnCompletion: true });
    expect(registry.requests.every((r) => r.startsWith("/main/"))).toBe(true);
  });

  test("a clash is refused with nothing written, then replaced when asked", async () => {
    const dir = path.join(folder, "development", "security-audit");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "2_FIND_ISSUES.md"), "my own findings\n");
    const err = await refusal(caller.exchange.import({ agentId, key: "development-security" }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain(
      "1 file of this playbook already exists in the Auto Run folder with other content: development/security-audit/2_FIND_ISSUES.md",
    );
    expect(fs.readdirSync(dir)).toEqual(["2_FIND_ISSUES.md"]);
    expect(await caller.playbooks.list({ agentId })).toEqual([]);
    const pb = await caller.exchange.import({ agentId, key: "development-security", overwrite: true });
    expect(pb.written).toHaveLength(3);
    expect(fs.readFileSync(path.join(dir, "2_FIND_ISSUES.md"), "utf8")).toBe(FIND);
  });

  test("a document the registry does not have refuses the import; nothing is written", async () => {
    registry.set("Development/Security/5_PROGRESS.md", { status: 404 });
    const err = await refusal(caller.exchange.import({ agentId, key: "development-security" }));
    expect(err.message).toBe("“5_PROGRESS.md” of “Security Audit” is not in the Exchange. Nothing was imported.");
    expect(fs.existsSync(folder)).toBe(false);
    expect(await caller.playbooks.list({ agentId })).toEqual([]);
  });

  test("a document over the size limit is refused while it streams", async () => {
    registry.set("DevOps/Deploy/1_CHECK.md", { chunked: Buffer.alloc(5 * 1024 * 1024 + 1, 97) });
    const err = await refusal(caller.exchange.import({ agentId, key: "devops-deploy" }));
    expect(err.message).toBe("Could not fetch “1_CHECK.md” of “Deploy Check”: it is over 5.0 MB. Nothing was imported.");
    expect(fs.existsSync(folder)).toBe(false);
  });

  test("the files' total is capped while fetching: the import stops early and writes nothing", async () => {
    const big = Buffer.alloc(4_900_000, 97);
    const documents = Array.from({ length: 20 }, (_, i) => ({ filename: `doc-${i}`, resetOnCompletion: false }));
    registry.set(
      "manifest.json",
      JSON.stringify({ playbooks: [entry({ id: "huge", title: "Huge", category: "Big", path: "Big/Huge", documents })] }),
    );
    for (const d of documents) registry.set(`Big/Huge/${d.filename}.md`, big);
    const err = await refusal(caller.exchange.import({ agentId, key: "huge" }));
    expect(err.message).toMatch(/(adds up to over 50\.0 MB|is over \d+(\.\d)? MB)\. Nothing was imported\.$/);
    // About 50 MB was fetched, not the 98 MB the entry lists.
    expect(registry.requests.filter((r) => r.startsWith("/main/Big/Huge/")).length).toBeLessThan(16);
    expect(fs.existsSync(folder)).toBe(false);
    expect(await caller.playbooks.list({ agentId })).toEqual([]);
  });

  test("a local entry's files are copied from its folder (~ is the home folder)", async () => {
    const src = path.join(home, "notes");
    fs.mkdirSync(path.join(src, "assets"), { recursive: true });
    fs.writeFileSync(path.join(src, "1_NOTES.md"), "# Notes\n\n- [ ] Write\n");
    fs.writeFileSync(path.join(src, "README.md"), "# Team notes\n");
    fs.writeFileSync(path.join(src, "assets", "rules.json"), "{}\n");
    fs.writeFileSync(path.join(src, "secret.txt"), "not listed\n");
    localManifest([
      entry({
        id: "team-notes",
        title: "Team Notes",
        category: "Team",
        path: "~/notes",
        documents: [{ filename: "1_NOTES", resetOnCompletion: false }],
        assets: ["rules.json"],
      }),
    ]);
    expect((await caller.exchange.preview({ key: "team-notes" })).content).toBe("# Team notes\n");
    const pb = await caller.exchange.import({ agentId, key: "team-notes" });
    expect(pb.written.sort()).toEqual(["team/team-notes/1_NOTES.md", "team/team-notes/assets/rules.json"]);
    expect(fs.readdirSync(path.join(folder, "team", "team-notes")).sort()).toEqual(["1_NOTES.md", "assets"]);
  });

  test("a local entry whose document links out of its folder is refused; so is a path that is not a folder", async () => {
    const src = path.join(root, "linked");
    fs.mkdirSync(src, { recursive: true });
    const outside = path.join(root, "outside-secret.md");
    fs.writeFileSync(outside, "# secret\n");
    fs.symlinkSync(outside, path.join(src, "1_LEAK.md"));
    fs.symlinkSync(outside, path.join(src, "README.md"));
    localManifest([
      entry({ id: "linked", title: "Linked", category: "Team", path: src, documents: [{ filename: "1_LEAK", resetOnCompletion: false }] }),
      entry({ id: "file", title: "A file", category: "Team", path: outside, documents: [{ filename: "1", resetOnCompletion: false }] }),
      entry({
        id: "gone",
        title: "Gone",
        category: "Team",
        path: path.join(root, "nope"),
        documents: [{ filename: "1", resetOnCompletion: false }],
      }),
    ]);
    const err = await refusal(caller.exchange.import({ agentId, key: "linked" }));
    expect(err.message).toBe(
      "Could not fetch “1_LEAK.md” of “Linked”: “1_LEAK.md” of the local playbook folder leads out of it (through a link or “..”). Nothing was imported.",
    );
    expect((await caller.exchange.preview({ key: "linked" })).error).toContain("leads out of it");
    expect((await refusal(caller.exchange.import({ agentId, key: "file" }))).message).toContain("is not a folder");
    expect((await refusal(caller.exchange.import({ agentId, key: "gone" }))).message).toContain("does not exist");
    expect(fs.existsSync(folder)).toBe(false);
  });
});

describe("settings", () => {
  test("the URL is http(s) only, kept in Settings, and empty goes back to the default", async () => {
    for (const url of [
      "ftp://example.com/manifest.json",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "https://user:pw@example.com/m.json",
    ])
      expect((await refusal(caller.exchange.setUrl({ url }))).code).toBe("BAD_REQUEST");
    expect(await caller.exchange.settings()).toMatchObject({ url: registry.url });
    expect(await caller.exchange.setUrl({ url: "" })).toEqual({
      url: null,
      defaultUrl: "https://raw.githubusercontent.com/RunMaestro/Maestro-Playbooks/main/manifest.json",
    });
  });
});
