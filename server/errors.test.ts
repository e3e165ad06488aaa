import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner } from "./testing/harness";

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;

beforeAll(async () => {
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
});
afterAll(() => services.cleanup());

// Services update and delete by id without reading first; the row's absence comes back from
// Prisma (P2025) and is mapped once, in the tRPC error middleware, to NOT_FOUND in words.
test.each([
  ["tabs.rename", () => caller.tabs.rename({ id: "gone", name: "x" }), "That tab no longer exists."],
  ["tabs.close", () => caller.tabs.close({ id: "gone" }), "That tab no longer exists."],
  ["groups.collapse", () => caller.groups.collapse({ id: "gone", collapsed: true }), "That group no longer exists."],
  ["agents.bookmark", () => caller.agents.bookmark({ id: "gone", bookmarked: true }), "That agent no longer exists."],
  ["playbooks.remove", () => caller.playbooks.remove({ id: "gone" }), "That playbook no longer exists."],
])("%s of a missing row is NOT_FOUND", async (_path, call, message) => {
  const err = await call().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect(err).toMatchObject({ code: "NOT_FOUND", message });
});
