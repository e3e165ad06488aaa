import type { Socket } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, startTestBridge, tempDir } from "../testing/harness";
import { TerminalClient } from "../testing/terminal-client";
import { createWsRoutes } from "./terminal-ws";

/**
 * The command terminal websocket against the real bridge: real shells in real PTYs, a real
 * websocket client, the bridge's own auth and Origin checks.
 */
let services: ReturnType<typeof createTestServices>;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let headers: Record<string, string>;
let agentId: string;
const folder = tempDir("maestro-term-project-");

beforeAll(async () => {
  // sh, not the login shell: a slow rc file (pyenv rehash here) would only add noise.
  process.env.SHELL = "/bin/sh";
  services = createTestServices({ terminals: { scrollbackBytes: 1024 * 1024 } });
  // A short stall limit so the vanished-client test does not wait 15 s.
  bridge = await startTestBridge(services, { wsRoutes: createWsRoutes(services, { terminal: { stallMs: 1500 } }) });
  const { sessionToken } = await pairedOwner(services);
  headers = { cookie: `maestro_session=${sessionToken}`, origin: bridge.base };
  agentId = (await services.agents.create({ name: "term", folder })).id;
});
afterAll(async () => {
  await bridge.close();
  await services.cleanup();
});

async function openTerminal(cols = 80, rows = 24) {
  const info = await services.terminals.create(agentId, { cols, rows });
  const client = TerminalClient.connect(bridge.base, info.id, headers);
  await client.opened;
  await client.untilMessage("attached");
  return { info, client };
}

describe("who may connect", () => {
  test("no session → 401, and no terminal is touched", async () => {
    const info = await services.terminals.create(agentId);
    const client = TerminalClient.connect(bridge.base, info.id, { origin: bridge.base });
    await expect(client.opened).rejects.toThrow("HTTP 401");
    expect(services.terminals.stats(info.id).clients).toBe(0);
    await services.terminals.close(info.id);
  });

  test("a foreign Origin → 403, even with a valid session", async () => {
    const info = await services.terminals.create(agentId);
    const client = TerminalClient.connect(bridge.base, info.id, { ...headers, origin: "https://evil.example" });
    await expect(client.opened).rejects.toThrow("HTTP 403");
    const noOrigin = TerminalClient.connect(bridge.base, info.id, { cookie: headers.cookie! });
    await expect(noOrigin.opened).rejects.toThrow("HTTP 403");
    await services.terminals.close(info.id);
  });

  test("an unknown terminal id is refused with 4404", async () => {
    const client = TerminalClient.connect(bridge.base, "no-such-terminal", headers);
    expect(await client.closed).toBe(4404);
  });

  test("revoking the device cuts its terminal sockets", async () => {
    const { sessionToken, principal } = await pairedOwner(services, "soon revoked");
    const info = await services.terminals.create(agentId);
    const client = TerminalClient.connect(bridge.base, info.id, { cookie: `maestro_session=${sessionToken}`, origin: bridge.base });
    await client.opened;
    // through the devices router, as the settings screen does it
    const owner = await pairedOwner(services, "the owner");
    await callerFor(services, owner.principal).devices.revoke({ id: principal.sessionId });
    await client.closed;
    await services.terminals.close(info.id);
  });
});

describe("a shell over the socket", () => {
  test("input runs in the agent's folder, output comes back; resize reaches the pty", async () => {
    const { info, client } = await openTerminal(80, 24);
    client.type("echo hi-$((40+2)); pwd\r");
    await client.untilText(/hi-42\r?\n/);
    await client.untilText(folder);
    client.resize(101, 33);
    client.type("stty size\r");
    await client.untilText("33 101");
    expect(services.terminals.byId(info.id)).toMatchObject({ cols: 101, rows: 33 });
    await client.close();
    await services.terminals.close(info.id);
  });

  test("the terminal outlives its client; a new client gets the scrollback, then live output", async () => {
    const { info, client } = await openTerminal();
    client.type("echo before-$((6*7))\r");
    await client.untilText("before-42");
    await client.close();
    expect(services.terminals.stats(info.id).clients).toBe(0);

    const again = TerminalClient.connect(bridge.base, info.id, headers);
    await again.untilMessage("attached");
    await again.untilText("before-42");
    again.type("echo after-$((6*7))\r");
    await again.untilText("after-42");
    // each byte once: the scrollback and the live stream do not overlap
    expect(again.text.match(/before-42/g)).toHaveLength(1);
    await again.close();
    await services.terminals.close(info.id);
  });

  test("a shell that exits reports its exit code", async () => {
    const { info, client } = await openTerminal();
    client.type("exit 7\r");
    expect(await client.untilMessage("exit")).toMatchObject({ code: 7, signal: null });
    expect(services.terminals.byId(info.id).exit).toEqual({ code: 7, signal: null });
    // a client that comes later still learns how it ended
    const later = TerminalClient.connect(bridge.base, info.id, headers);
    expect(await later.untilMessage("attached")).toMatchObject({ exit: { code: 7, signal: null } });
    await later.close();
    await client.close();
    await services.terminals.close(info.id);
  });

  test("a killed shell reports the signal", async () => {
    const { info, client } = await openTerminal();
    process.kill(info.pid, "SIGKILL");
    expect(await client.untilMessage("exit")).toMatchObject({ signal: 9 });
    await client.close();
    await services.terminals.close(info.id);
  });

  test("closing the terminal tells the client and closes the socket", async () => {
    const { info, client } = await openTerminal();
    await services.terminals.close(info.id);
    expect(await client.closed).toBe(4000);
    expect(client.messages.at(-1)).toEqual({ t: "closed", reason: "closed" });
  });
});

describe("a client that vanishes during a flood", () => {
  test("bridge memory stays bounded and the pty is not blocked forever", async () => {
    const { info, client } = await openTerminal();
    // The client stops reading (a phone that lost its network): nothing it is sent gets read.
    const raw = (client.ws as unknown as { _socket: Socket })._socket;
    client.type("yes flood-flood-flood-flood-flood-flood\r");
    await client.until(() => client.bytes > 0, "the flood to start");
    raw.pause();

    // Garbage does not count: collect before each look (gc exposed at run time, the usual trick).
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const memory = () => {
      gc();
      return process.memoryUsage();
    };
    const before = memory();
    let peakExternal = 0;
    let peakHeap = 0;
    let sawPaused = false;
    const t0 = Date.now();
    // The stall limit is 1.5 s: watch for 3 s, long enough to see the pause and the drop.
    while (Date.now() - t0 < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      const m = memory();
      peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers - before.external - before.arrayBuffers);
      peakHeap = Math.max(peakHeap, m.heapUsed - before.heapUsed);
      const s = services.terminals.stats(info.id);
      sawPaused ||= s.paused;
      expect(s.scrollbackBytes).toBeLessThanOrEqual(1024 * 1024);
    }
    // `yes` writes tens to hundreds of MB/s: unbounded buffering would pass the bound within a
    // second. (The bound leaves room for buffers the collector frees in the background.)
    expect(sawPaused).toBe(true);
    expect(peakExternal).toBeLessThan(64 * 1024 * 1024);
    expect(peakHeap).toBeLessThan(64 * 1024 * 1024);

    // The stalled client was dropped, so the pty runs again…
    await expect.poll(() => services.terminals.stats(info.id), { timeout: 5000 }).toMatchObject({ paused: false, clients: 0 });
    // …and a fresh client can stop the flood and use the shell.
    const fresh = TerminalClient.connect(bridge.base, info.id, headers, false);
    await fresh.untilMessage("attached");
    fresh.type("\x03");
    await new Promise((r) => setTimeout(r, 300));
    fresh.type("echo alive-$((1+1))\r");
    await fresh.untilText("alive-2", 10_000);
    raw.destroy();
    await fresh.close();
    await services.terminals.close(info.id);
  }, 30_000);
});
