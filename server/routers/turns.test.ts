import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestServices, pairedOwner, startTestBridge, tempDir } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let cookie: string;
const simHome = tempDir("maestro-simhome-");
const project = tempDir("maestro-stream-project-");

beforeAll(async () => {
  process.env.MAESTRO_SIM_HOME = simHome;
  services = createTestServices();
  bridge = await startTestBridge(services);
  cookie = `maestro_session=${(await pairedOwner(services)).sessionToken}`;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
  fs.rmSync(simHome, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
});

/**
 * Reads the real SSE endpoint until `count` event ids arrived or the time is up. Each message is
 * a batch of events whose `id:` line is the batch's last event id.
 */
async function readIds(tabId: string, lastEventId: string | null, count: number, ms = 5000): Promise<number[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { tabId, lastEventId } }));
  const ac = new AbortController();
  const res = await fetch(`${bridge.base}/api/trpc/turns.onEvent?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: ac.signal,
  });
  const ids: number[] = [];
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ac.abort(), ms);
  let text = "";
  try {
    while (ids.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const lines = text.split("\n");
      text = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith("data: ")) continue;
        const data = JSON.parse(l.slice(6)) as { json?: unknown };
        if (Array.isArray(data.json)) ids.push(...data.json.map((e: { id: number }) => e.id));
      }
    }
  } catch {
    /* aborted */
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return ids;
}

test("the event stream replays from the last id, then goes live: none lost, none twice", async () => {
  const agent = await services.agents.create({ name: "s", folder: project });
  const [tab] = await services.tabs.list(agent.id);
  await services.turns.send({ tabId: tab!.id, prompt: "one" });
  await services.turns.settled(tab!.id);
  const stored = (await services.turns.eventsAfter(tab!.id, 0)).map((e) => e.id);
  expect(stored.length).toBeGreaterThan(4);

  // A client that saw the first three events reconnects.
  const resumeFrom = stored[2]!;
  const backlog = await readIds(tab!.id, String(resumeFrom), stored.length - 3);
  expect(backlog).toEqual(stored.slice(3));

  // Live: subscribe from the end, then run another turn.
  const live = readIds(tab!.id, String(stored.at(-1)), 5);
  await new Promise((r) => setTimeout(r, 200));
  await services.turns.send({ tabId: tab!.id, prompt: "two" });
  await services.turns.settled(tab!.id);
  const liveIds = await live;
  const all = (await services.turns.eventsAfter(tab!.id, 0)).map((e) => e.id);
  expect(liveIds.length).toBeGreaterThanOrEqual(5);
  expect(liveIds).toEqual(all.slice(stored.length, stored.length + liveIds.length));
});

test("images: uploaded by the owner, sent with a prompt by id, refused when not an image or too big", async () => {
  const upload = (type: string, body: Buffer) =>
    fetch(`${bridge.base}/api/uploads`, {
      method: "POST",
      headers: { cookie, origin: bridge.base, "content-type": type },
      body: new Uint8Array(body),
    });
  const png = Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2216bc50000000049454e44ae426082",
    "hex",
  );
  const ok = await upload("image/png", png);
  expect(ok.status).toBe(200);
  const { id } = (await ok.json()) as { id: string };
  expect(id).toMatch(/^[0-9a-f]{24}\.png$/);
  expect((await upload("text/html", Buffer.from("<script>"))).status).toBe(400);
  expect((await upload("image/png", Buffer.alloc(11 * 1024 * 1024))).status).toBe(413);
  expect(
    (
      await fetch(`${bridge.base}/api/uploads`, {
        method: "POST",
        headers: { origin: bridge.base, "content-type": "image/png" },
        body: new Uint8Array(png),
      })
    ).status,
  ).toBe(401);

  const agent = await services.agents.create({ name: "img", folder: project });
  const [tab] = await services.tabs.list(agent.id);
  const send = (images: string[]) =>
    fetch(`${bridge.base}/api/trpc/turns.send`, {
      method: "POST",
      headers: { cookie, origin: bridge.base, "content-type": "application/json" },
      body: JSON.stringify({ json: { tabId: tab!.id, prompt: "What is in this picture?", images } }),
    });
  expect((await send(["../../etc/passwd"])).status).toBe(400);
  expect((await send([id])).status).toBe(200);
  await services.turns.settled(tab!.id);
  const [turn] = await services.turns.listTurns(tab!.id);
  expect(turn!.status).toBe("done");
  const events = await services.turns.eventsAfter(tab!.id, 0);
  expect(events[0]).toMatchObject({ type: "prompt", data: { images: 1 } });
});

test("after the backlog the stream says it is caught up with an empty batch", async () => {
  const agent = await services.agents.create({ name: "caught up", folder: project });
  const [tab] = await services.tabs.list(agent.id);
  await services.turns.send({ tabId: tab!.id, prompt: "one" });
  await services.turns.settled(tab!.id);
  const stored = (await services.turns.eventsAfter(tab!.id, 0)).map((e) => e.id);

  const input = encodeURIComponent(JSON.stringify({ json: { tabId: tab!.id, lastEventId: null, tail: 1000 } }));
  const ac = new AbortController();
  const res = await fetch(`${bridge.base}/api/trpc/turns.onEvent?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  const batches: { id: string; ids: number[] }[] = [];
  let text = "";
  let id = "";
  const timer = setTimeout(() => ac.abort(), 5000);
  try {
    while (!batches.some((b) => b.ids.length === 0)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const lines = text.split("\n");
      text = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith("id: ")) id = l.slice(4);
        if (!l.startsWith("data: ")) continue;
        const data = JSON.parse(l.slice(6)) as { json?: unknown };
        if (Array.isArray(data.json)) batches.push({ id, ids: data.json.map((e: { id: number }) => e.id) });
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  const marker = batches.findIndex((b) => b.ids.length === 0);
  expect(marker).toBeGreaterThan(0);
  expect(batches.slice(0, marker).flatMap((b) => b.ids)).toEqual(stored);
  // The marker carries the last id, so a reconnect after it resumes at the right place.
  expect(batches[marker]!.id).toBe(String(stored.at(-1)));
});

test("a long tab opens with its newest whole turns only (turns.tail), and earlier pages reach back to the first", async () => {
  const agent = await services.agents.create({ name: "long tail", folder: project });
  const [tab] = await services.tabs.list(agent.id);
  // 150 turns × 20 events = 3,000 stored events, written as the bench writes them.
  const PER_TURN = 20;
  const TURNS = 150;
  for (let t = 0; t < TURNS; t++) {
    const turn = await services.db.turn.create({ data: { tabId: tab!.id, agentId: agent.id, prompt: `Q${t}`, status: "done" } });
    await services.db.event.createMany({
      data: [
        { turnId: turn.id, type: "prompt", payload: JSON.stringify({ prompt: `Q${t}`, images: 0 }) },
        ...Array.from({ length: PER_TURN - 2 }, (_, i) => ({
          turnId: turn.id,
          type: "text",
          payload: JSON.stringify({ text: `part ${i} of ${t}`, messageId: `m${t}`, delta: i > 0 }),
        })),
        { turnId: turn.id, type: "turn_end", payload: JSON.stringify({ status: "done" }) },
      ],
    });
  }
  const stored = (await services.turns.eventsAfter(tab!.id, 0, 10_000)).map((e) => e.id);
  expect(stored).toHaveLength(TURNS * PER_TURN);

  // What a cold tab fetches at open: the same request the page makes (GET, owner cookie).
  const get = async (path: string, input: unknown) => {
    const res = await fetch(`${bridge.base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: { data: { json: { id: number; type: string }[] } } }).result.data.json;
  };
  const tail = await get("turns.tail", { tabId: tab!.id, tail: 400 });
  // At most the asked-for events, widened to the start of a turn: never the whole history.
  expect(tail.length).toBeGreaterThanOrEqual(400);
  expect(tail.length).toBeLessThan(400 + PER_TURN);
  expect(tail[0]!.type).toBe("prompt");
  expect(tail.map((e) => e.id)).toEqual(stored.slice(-tail.length));

  // "Load earlier": pages of whole turns, each just before the last, back to the first event.
  let first = tail[0]!.id;
  let seen = tail.length;
  for (let pages = 0; first !== stored[0]; pages++) {
    expect(pages).toBeLessThan(20);
    const older = await get("turns.earlier", { tabId: tab!.id, beforeId: first, limit: 400 });
    expect(older[0]!.type).toBe("prompt");
    expect(older.at(-1)!.id).toBe(stored[stored.indexOf(first) - 1]);
    first = older[0]!.id;
    seen += older.length;
  }
  expect(seen).toBe(stored.length);
});
