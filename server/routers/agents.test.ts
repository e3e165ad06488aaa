import { TRPCError } from "@trpc/server";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let root: string;

beforeAll(async () => {
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
  root = tempDir("maestro-projects-");
  fs.mkdirSync(path.join(root, "app"));
  fs.writeFileSync(path.join(root, "notes.txt"), "a file");
  fs.symlinkSync(path.join(root, "app"), path.join(root, "link-to-app"));
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

async function expectBadFolder(folder: string, message: RegExp) {
  const err = await caller.agents.create({ name: "x", folder }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const trpcError = err as TRPCError;
  expect(trpcError.code).toBe("BAD_REQUEST");
  expect(trpcError.message).toMatch(message);
}

describe("agents", () => {
  test.each([
    ["a missing folder", () => path.join(root, "nope"), /^No folder at .*nope\.$/],
    ["a file", () => path.join(root, "notes.txt"), /notes\.txt is a file, not a folder\./],
    ["a relative path", () => "app", /Use an absolute path/],
    ["a path with ..", () => `${root}/app/../app`, /must not contain `\.\.`/],
    ["an empty path", () => "", /Choose the project folder/],
  ])("%s is refused with a clear message, and nothing is stored", async (_label, folder, message) => {
    await expectBadFolder(folder(), message);
    expect(await services.db.agent.count()).toBe(0);
  });

  test("create stores the resolved folder, defaults to the simulator, opens a first tab", async () => {
    const agent = await caller.agents.create({ name: "Linked", folder: path.join(root, "link-to-app") });
    expect(agent.folder).toBe(fs.realpathSync(path.join(root, "app")));
    expect(agent.provider).toBe("simulator");
    expect(agent.status).toBe("idle");
    expect(await services.db.tab.count({ where: { agentId: agent.id } })).toBe(1);
    await caller.agents.remove({ id: agent.id });
  });

  test("rename, bookmark, groups, delete", async () => {
    const events: (string | null)[] = [];
    const off = services.bus.subscribe("agents.changed", (e) => events.push(e.agentId));
    const a = await caller.agents.create({ name: "One", folder: root, provider: "claude" });
    const b = await caller.agents.create({ name: "Two", folder: root });
    expect((await caller.agents.list()).map((x) => x.name)).toEqual(["One", "Two"]);

    expect((await caller.agents.rename({ id: a.id, name: "  Uno " })).name).toBe("Uno");
    expect((await caller.agents.bookmark({ id: a.id, bookmarked: true })).bookmarked).toBe(true);

    const g = await caller.groups.create({ name: "Backend" });
    expect((await caller.agents.move({ id: b.id, groupId: g.id })).groupId).toBe(g.id);
    await expect(caller.agents.move({ id: b.id, groupId: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await caller.groups.rename({ id: g.id, name: "API" })).name).toBe("API");

    // Deleting a group keeps its agents, ungrouped.
    await caller.groups.remove({ id: g.id });
    expect((await caller.agents.byId({ id: b.id })).groupId).toBeNull();
    expect(await caller.groups.list()).toEqual([]);

    await caller.agents.remove({ id: a.id });
    await expect(caller.agents.byId({ id: a.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.agents.rename({ id: a.id, name: "ghost" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await services.db.tab.count({ where: { agentId: a.id } })).toBe(0);
    off();
    expect(events).toEqual([a.id, b.id, a.id, a.id, null, b.id, null, null, a.id]);
    await caller.agents.remove({ id: b.id });
  });

  test("setProvider switches the CLI and drops the tabs' provider sessions; refused while busy", async () => {
    const a = await caller.agents.create({ name: "Switch", folder: root, provider: "claude" });
    const [tab] = await services.tabs.list(a.id);
    await services.db.tab.update({ where: { id: tab!.id }, data: { providerSessionId: "s-1", providerTotals: "{}" } });
    expect((await caller.agents.setProvider({ id: a.id, provider: "codex" })).provider).toBe("codex");
    expect(await services.db.tab.findUniqueOrThrow({ where: { id: tab!.id } })).toMatchObject({
      providerSessionId: null,
      providerTotals: null,
    });
    await services.db.agent.update({ where: { id: a.id }, data: { status: "busy" } });
    await expect(caller.agents.setProvider({ id: a.id, provider: "gemini" })).rejects.toMatchObject({ code: "CONFLICT" });
    // @ts-expect-error unknown provider
    await expect(caller.agents.setProvider({ id: a.id, provider: "bash" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await caller.agents.byId({ id: a.id })).provider).toBe("codex");
    await expect(caller.agents.setProvider({ id: "missing", provider: "codex" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await services.db.agent.update({ where: { id: a.id }, data: { status: "idle" } });
    await caller.agents.remove({ id: a.id });
  });

  test("bad input never reaches the database", async () => {
    await expect(caller.agents.create({ name: "", folder: root })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // @ts-expect-error unknown provider
    await expect(caller.agents.create({ name: "x", folder: root, provider: "bash" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await services.db.agent.count()).toBe(0);
  });
});

describe("devices", () => {
  test("lists paired devices with the current one marked, and revokes", async () => {
    const me = await pairedOwner(services, "Phone");
    const other = await pairedOwner(services, "Laptop");
    const mine = callerFor(services, me.principal);
    const list = await mine.devices.list();
    expect(list.find((d) => d.id === me.principal.sessionId)?.current).toBe(true);
    expect(list.find((d) => d.id === other.principal.sessionId)).toMatchObject({ deviceName: "Laptop", current: false });
    expect(await mine.devices.revoke({ id: other.principal.sessionId })).toEqual({ id: other.principal.sessionId, wasCurrent: false });
    expect((await mine.devices.list()).some((d) => d.id === other.principal.sessionId)).toBe(false);
    expect(await services.auth.authenticate(other.sessionToken)).toBeNull();
    await expect(mine.devices.revoke({ id: other.principal.sessionId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("folders picker", () => {
  test("lists sub-folders, marks git repos, skips hidden ones", async () => {
    fs.mkdirSync(path.join(root, "repo", ".git"), { recursive: true });
    fs.mkdirSync(path.join(root, ".hidden"));
    const r = await caller.system.folders({ dir: root });
    expect(r.dir).toBe(fs.realpathSync(root));
    expect(r.entries.map((e) => [e.name, e.isGitRepo])).toEqual([
      ["app", false],
      ["link-to-app", false],
      ["repo", true],
    ]);
  });
});

describe("agent settings", () => {
  test("round-trip, validated", async () => {
    const a = await caller.agents.create({ name: "S", folder: root });
    expect(await caller.agents.settings({ id: a.id })).toEqual({});
    const saved = await caller.agents.updateSettings({ id: a.id, settings: { model: "opus", env: { FOO: "1" }, readOnly: true } });
    expect(saved).toEqual({ model: "opus", env: { FOO: "1" }, readOnly: true });
    expect(await caller.agents.settings({ id: a.id })).toEqual(saved);
    await expect(caller.agents.updateSettings({ id: a.id, settings: { env: { "BAD NAME": "x" } } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await caller.agents.remove({ id: a.id });
  });
});
