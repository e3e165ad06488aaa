import fs from "node:fs";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createContextInner } from "../context";
import { createTestServices, sharedSession, tempDir } from "../testing/harness";
import { createCallerFactory, protectedProcedure, router } from "../trpc";

/**
 * `shareScopedOutput` lets a share session call a procedure without ids because the middleware
 * narrows the output afterwards. That must fail closed: an output of another shape than the one
 * declared (a list procedure that starts paging, an event without `agentId`) is refused, never
 * passed through whole.
 */
let services: ReturnType<typeof createTestServices>;
const dir = tempDir("maestro-share-output-");
const ids = { a: "", b: "", chat: "", otherChat: "" };

const testRouter = router({
  listPaged: protectedProcedure
    .meta({ share: "read", shareScopedOutput: "agents" })
    .query(() => ({ items: [{ id: ids.a }, { id: ids.b }] })),
  listPlain: protectedProcedure.meta({ share: "read", shareScopedOutput: "agents" }).query(() => [{ id: ids.a }, { id: ids.b }]),
  events: protectedProcedure.meta({ share: "read", shareScopedOutput: "events" }).subscription(async function* () {
    yield { agentId: ids.b, secret: "b" };
    yield { tabId: "some-tab-of-b", secret: "no agentId" };
    yield { agentId: null, secret: "nobody's" };
    yield { agentId: ids.a, secret: "a" };
  }),
  notAStream: protectedProcedure.meta({ share: "read", shareScopedOutput: "events" }).query(() => [{ agentId: ids.b }]),
  chats: protectedProcedure
    .meta({ share: "groupchat", shareScopedOutput: "chats" })
    .query(() => [{ id: ids.otherChat }, { id: ids.chat }, { name: "no id" }]),
  chatsPaged: protectedProcedure.meta({ share: "groupchat", shareScopedOutput: "chats" }).query(() => ({ items: [{ id: ids.chat }] })),
});

beforeAll(async () => {
  services = createTestServices();
  ids.a = (await services.agents.create({ name: "A", folder: dir })).id;
  ids.b = (await services.agents.create({ name: "B", folder: dir })).id;
  ids.chat = (await services.db.groupChat.create({ data: { name: "Team", moderatorAgentId: ids.a } })).id;
  ids.otherChat = (await services.db.groupChat.create({ data: { name: "Other", moderatorAgentId: ids.b } })).id;
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function callerOfA() {
  const { principal } = await sharedSession(services, { agentId: ids.a, permission: "view" });
  return createCallerFactory(testRouter)(createContextInner({ services, principal }));
}

test("a declared list filters by id", async () => {
  expect(await (await callerOfA()).listPlain()).toEqual([{ id: ids.a }]);
});

test("an output that is not the declared list is refused, not handed over whole", async () => {
  await expect((await callerOfA()).listPaged()).rejects.toSatisfy(
    (e: unknown) => e instanceof TRPCError && e.code === "INTERNAL_SERVER_ERROR",
  );
});

test("a query declared as an event stream is refused", async () => {
  await expect((await callerOfA()).notAStream()).rejects.toSatisfy(
    (e: unknown) => e instanceof TRPCError && e.code === "INTERNAL_SERVER_ERROR",
  );
});

test("events pass only with the scope's agentId or an explicit null; events without the field are dropped", async () => {
  const seen: string[] = [];
  for await (const e of (await (await callerOfA()).events()) as AsyncIterable<{ secret: string }>) seen.push(e.secret);
  expect(seen).toEqual(["nobody's", "a"]);
});

async function callerOfChat() {
  const { token } = await services.share.create({
    scope: "groupchat",
    groupChatId: ids.chat,
    permission: "view",
    label: "chat",
    expiresInSeconds: 3600,
  });
  const auth = await services.share.authenticate(token);
  if (!auth?.ok) throw new Error("no chat session");
  return createCallerFactory(testRouter)(createContextInner({ services, principal: auth.principal }));
}

test("a chat list is narrowed to the chat link's own chat (items without an id dropped)", async () => {
  expect(await (await callerOfChat()).chats()).toEqual([{ id: ids.chat }]);
});

test("a chat list of another shape is refused; an agent link reaches no chat list", async () => {
  await expect((await callerOfChat()).chatsPaged()).rejects.toSatisfy(
    (e: unknown) => e instanceof TRPCError && e.code === "INTERNAL_SERVER_ERROR",
  );
  await expect((await callerOfA()).chats()).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN");
});
