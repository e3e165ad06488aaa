import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createTestServices, pairedOwner, startTestBridge } from "../testing/harness";

/**
 * Streams that come and go must leave nothing behind: every `turns.onEvent` connection attaches
 * a bus listener (and an abort listener, and socket listeners while it waits for a slow phone);
 * a phone that reconnects every few seconds for days would otherwise pile them up.
 */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let cookie: string;
let tabId: string;

beforeAll(async () => {
  services = createTestServices();
  bridge = await startTestBridge(services);
  cookie = `maestro_session=${(await pairedOwner(services)).sessionToken}`;
  const agent = await services.agents.create({ name: "leaks", folder: services.dataDir });
  tabId = (await services.tabs.list(agent.id))[0]!.id;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});

/** Opens a tab's stream and resolves once the bridge says it is connected (its listener is attached). */
async function open(lastEventId?: number) {
  const ac = new AbortController();
  const input = encodeURIComponent(
    JSON.stringify({ json: { tabId, lastEventId: lastEventId === undefined ? null : String(lastEventId) } }),
  );
  const res = await fetch(`${bridge.base}/api/trpc/turns.onEvent?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("event: connected")) text += new TextDecoder().decode((await reader.read()).value);
  return { close: () => ac.abort() };
}

describe("turns.onEvent connections", () => {
  test("30 connects and disconnects leave the bus's listeners at their baseline", async () => {
    const baseline = services.bus.listenerCount("turn.events");
    const open5 = await Promise.all([1, 2, 3, 4, 5].map(() => open()));
    expect(services.bus.listenerCount("turn.events")).toBe(baseline + 5);
    for (const s of open5) s.close();
    for (let i = 0; i < 25; i++) (await open(i)).close();
    await vi.waitFor(() => expect(services.bus.listenerCount("turn.events")).toBe(baseline));
  });
});
