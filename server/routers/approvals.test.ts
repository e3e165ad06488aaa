import fs from "node:fs";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, sharedSession, tempDir } from "../testing/harness";

/** The approvals procedures and the tab's permission mode, through the router with real services. */
let services: ReturnType<typeof createTestServices>;
let owner: ReturnType<typeof callerFor>;
const project = tempDir("maestro-approvals-router-");
let agentId = "";
let tabId = "";

beforeAll(async () => {
  services = createTestServices();
  owner = callerFor(services, (await pairedOwner(services, "Pixel 7")).principal);
  const agent = await services.agents.create({ name: "Backend", folder: project });
  agentId = agent.id;
  tabId = (await services.tabs.list(agent.id))[0]!.id;
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(project, { recursive: true, force: true });
});

const forbidden = (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN";

describe("a tab's permission mode", () => {
  test("is stored for the tab, listed with it, announced, and cleared back to the agent's", async () => {
    const seen: string[] = [];
    const stop = services.bus.subscribe("tabs.changed", (e) => seen.push(e.agentId));
    await expect(owner.tabs.setPermissionMode({ tabId, mode: "acceptEdits" })).resolves.toMatchObject({
      id: tabId,
      permissionMode: "acceptEdits",
    });
    expect((await owner.tabs.list({ agentId })).find((t) => t.id === tabId)?.permissionMode).toBe("acceptEdits");
    await owner.tabs.setPermissionMode({ tabId, mode: null });
    expect((await owner.tabs.list({ agentId })).find((t) => t.id === tabId)?.permissionMode).toBeNull();
    stop();
    expect(seen).toEqual([agentId, agentId]);
  });

  test("a mode that is not one is refused; an unknown tab is NOT_FOUND", async () => {
    await expect(owner.tabs.setPermissionMode({ tabId, mode: "yolo" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.tabs.setPermissionMode({ tabId: "no-such-tab", mode: "plan" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("is the owner's: a control share link cannot set it", async () => {
    const { principal } = await sharedSession(services, { agentId, permission: "control", canApprove: true });
    await expect(callerFor(services, principal).tabs.setPermissionMode({ tabId, mode: "bypass" })).rejects.toSatisfy(forbidden);
    expect((await services.tabs.byId(tabId)).permissionMode).toBeNull();
  });
});
