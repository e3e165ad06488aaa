import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import type { TerminalSink } from "./service";
import { sessionMembers } from "./kill";

/** Real shells: every way a terminal ends must leave no process behind. */
let services: ReturnType<typeof createTestServices>;
const folder = tempDir("maestro-term-svc-");

beforeAll(() => {
  // sh, not the login shell: a slow rc file (pyenv rehash here) would only add noise.
  process.env.SHELL = "/bin/sh";
  services = createTestServices({ terminals: { idleTimeoutMs: 60_000 } });
});
afterAll(async () => {
  await services.cleanup();
});

/** Pids of processes whose command line contains `marker` (a unique sleep duration). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
      const state = fs.readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmd.includes(marker) && state !== "Z") out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

function collector() {
  let text = "";
  const sink: TerminalSink & { text: () => string } = {
    data: (c) => (text += c.toString("utf8")),
    exit: () => {},
    closed: () => {},
    text: () => text,
  };
  return sink;
}

async function until(check: () => boolean, what: string, ms = 8000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let n = 0;
/** A terminal whose shell runs a foreground sleep and a background sleep, each with a unique marker. */
async function busyTerminal(agentId: string) {
  const fg = `${900000 + ++n}`;
  const bg = `${800000 + n}`;
  const info = await services.terminals.create(agentId);
  const sink = collector();
  const a = services.terminals.attach(info.id, sink);
  a.input(`sleep ${bg} & echo started-$((1+${n}))\r`);
  await until(() => sink.text().includes(`started-${1 + n}`), "the background job");
  a.input(`sleep ${fg}\r`);
  await until(() => processesWith(`sleep ${fg}`).length === 1 && processesWith(`sleep ${bg}`).length === 1, "both sleeps");
  return { info, markers: [fg, bg], attachment: a };
}

describe("no orphan processes", () => {
  test("closing a terminal kills its shell, its foreground job and its background jobs", async () => {
    const agent = await services.agents.create({ name: "close", folder });
    const { info, markers } = await busyTerminal(agent.id);
    expect(sessionMembers(info.pid).length).toBeGreaterThanOrEqual(3);
    await callerFor(services, (await pairedOwner(services)).principal).terminals.close({ id: info.id });
    for (const m of markers) expect(processesWith(`sleep ${m}`)).toEqual([]);
    expect(sessionMembers(info.pid)).toEqual([]);
    expect(services.terminals.list(agent.id)).toEqual([]);
  });

  test("deleting the agent kills its terminals", async () => {
    const agent = await services.agents.create({ name: "doomed", folder });
    const one = await busyTerminal(agent.id);
    const two = await busyTerminal(agent.id);
    const other = await services.agents.create({ name: "bystander", folder });
    const kept = await services.terminals.create(other.id);
    await services.agents.remove(agent.id);
    await until(() => services.terminals.list(agent.id).length === 0, "the terminals to close");
    await until(() => [...one.markers, ...two.markers].every((m) => processesWith(`sleep ${m}`).length === 0), "the sleeps to die");
    // another agent's terminal is untouched
    expect(services.terminals.byId(kept.id).exit).toBeNull();
    expect(() => process.kill(kept.pid, 0)).not.toThrow();
    await services.terminals.close(kept.id);
  });

  test("stopping the bridge kills every terminal", async () => {
    const own = createTestServices();
    const agent = await own.agents.create({ name: "stop", folder });
    const info = await own.terminals.create(agent.id);
    const marker = `${700000 + ++n}`;
    own.terminals.attach(info.id, collector()).input(`sleep ${marker} &\rsleep ${marker}\r`);
    await until(() => processesWith(`sleep ${marker}`).length === 2, "the sleeps");
    await own.cleanup(); // services.shutdown() inside
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
    expect(sessionMembers(info.pid)).toEqual([]);
    await expect(own.terminals.create(agent.id)).rejects.toThrow(/stopping/);
  });

  test("a terminal nobody watches is closed after the idle timeout", async () => {
    const own = createTestServices({ terminals: { idleTimeoutMs: 300 } });
    const agent = await own.agents.create({ name: "idle", folder });
    const info = await own.terminals.create(agent.id);
    const a = own.terminals.attach(info.id, collector());
    await new Promise((r) => setTimeout(r, 500));
    expect(own.terminals.list(agent.id)).toHaveLength(1); // watched: kept
    a.detach();
    await until(() => own.terminals.list(agent.id).length === 0, "the idle close", 3000);
    expect(sessionMembers(info.pid)).toEqual([]);
    await own.cleanup();
  });
});

describe("creating terminals", () => {
  test("the agent's shell and start-up command are used; names count up; rename works", async () => {
    const agent = await services.agents.create({ name: "settings", folder });
    const marker = path.join(folder, "started.txt");
    await services.agents.updateSettings(agent.id, { terminalShell: "sh", terminalStartup: `echo from-startup > ${marker}` });
    const info = await services.terminals.create(agent.id);
    expect(info.shell).toMatch(/\/sh$/);
    expect(info.name).toBe("Terminal 1");
    await until(() => fs.existsSync(marker) && fs.readFileSync(marker, "utf8").includes("from-startup"), "the start-up command");
    expect((await services.terminals.create(agent.id)).name).toBe("Terminal 2");
    expect(services.terminals.rename(info.id, "  server ").name).toBe("server");
    expect(() => services.terminals.rename(info.id, "  ")).toThrow(/needs a name/);
    for (const t of services.terminals.list(agent.id)) await services.terminals.close(t.id);
  });

  test.each([
    ["a missing absolute path", "/no/such/shell", /does not exist/],
    ["a name not on PATH", "no-such-shell-xyz", /not on PATH/],
  ])("a bad shell setting is a clear error: %s", async (_, shell, message) => {
    const agent = await services.agents.create({ name: "bad shell", folder });
    await services.agents.updateSettings(agent.id, { terminalShell: shell });
    await expect(services.terminals.create(agent.id)).rejects.toThrow(message);
    expect(services.terminals.list(agent.id)).toEqual([]);
  });

  test("an unknown agent or terminal is NOT_FOUND", async () => {
    await expect(services.terminals.create("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(() => services.terminals.attach("nope", collector())).toThrow(/closed/);
  });
});

describe("output batching", () => {
  // Batches smaller than one pty read (1 KiB) and larger (64 KiB): every byte arrives once, in
  // order, whichever way a read lands in a batch; the scrollback a later client gets matches.
  test.each([1024, 64 * 1024])("bulk output arrives whole and in order with %i-byte batches", async (maxBatchBytes) => {
    const own = createTestServices({ terminals: { maxBatchBytes, batchMs: 20, scrollbackBytes: 256 * 1024 } });
    try {
      const agent = await own.agents.create({ name: "bulk", folder });
      await own.agents.updateSettings(agent.id, { terminalShell: "/bin/sh" });
      const info = await own.terminals.create(agent.id, { cols: 200 });
      const sink = collector();
      const chunks: number[] = [];
      const counting: TerminalSink = { ...sink, data: (c, borrow) => (chunks.push(c.length), sink.data(c, borrow)) };
      const a = own.terminals.attach(info.id, counting);
      a.input("echo seq''-start; seq 1 60000; echo seq''-end\r");
      await until(() => sink.text().includes("seq-end\r\n"), "the end of the output", 20_000);
      const printed = sink.text().split("seq-start\r\n")[1]!.split("seq-end")[0]!;
      const numbers = printed.split("\r\n").filter(Boolean).map(Number);
      expect(numbers).toEqual(Array.from({ length: 60000 }, (_, i) => i + 1));
      // Batched: far fewer chunks than lines, none above the batch size unless one read was.
      expect(chunks.length).toBeLessThan(numbers.length / 10);
      if (maxBatchBytes > 4096) expect(Math.max(...chunks)).toBeLessThanOrEqual(maxBatchBytes);
      // A second client: its scrollback is the newest output, byte for byte the first one's tail.
      const late = own.terminals.attach(info.id, collector());
      const snapshot = late.snapshot.toString("utf8");
      expect(snapshot.length).toBeGreaterThan(200 * 1024);
      expect(sink.text().endsWith(snapshot)).toBe(true);
      late.detach();
      a.detach();
    } finally {
      await own.cleanup();
    }
  });

  // Batches are lent to sinks and filled again once given back (no allocation per batch). A
  // sink that borrows (a socket write in flight) must see its bytes unchanged until it gives
  // them back; one that gives back at once lets the same few buffers go round.
  test("a borrowed batch is never refilled before it is given back; given back, it is reused", async () => {
    // 16 KiB batches: far above one pty read (~4 KiB), so every read goes through a batch.
    const own = createTestServices({ terminals: { maxBatchBytes: 16 * 1024, batchMs: 20 } });
    try {
      const agent = await own.agents.create({ name: "lend", folder });
      await own.agents.updateSettings(agent.id, { terminalShell: "/bin/sh" });
      const info = await own.terminals.create(agent.id, { cols: 200 });
      const held: Buffer[] = [];
      const giveBack: (() => void)[] = [];
      const keeper: TerminalSink = { data: (c, borrow) => (held.push(c), giveBack.push(borrow())), exit: () => {}, closed: () => {} };
      const backings = new Set<ArrayBufferLike>();
      let deliveries = 0;
      const quick = collector();
      const returner: TerminalSink = {
        ...quick,
        // Like a socket write: given back a moment later.
        data: (c, borrow) => (deliveries++, backings.add(c.buffer), quick.data(c, borrow), setImmediate(borrow())),
      };
      const a = own.terminals.attach(info.id, keeper);
      a.input("echo seq''-start; seq 1 20000; echo seq''-end\r");
      await until(() => Buffer.concat(held).toString("utf8").includes("seq-end\r\n"), "the end of the output", 20_000);
      const printed = Buffer.concat(held).toString("utf8").split("seq-start\r\n")[1]!.split("seq-end")[0]!;
      expect(printed.split("\r\n").filter(Boolean).map(Number)).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
      for (const back of giveBack) back();
      a.detach();

      const b = own.terminals.attach(info.id, returner);
      b.input("seq 1 60000; echo seq''-again\r");
      await until(() => quick.text().includes("seq-again\r\n"), "the second output", 20_000);
      // ~400 KB in 16 KiB batches: 20+ flushes went round in a handful of buffers. How many
      // depends on how many flushes land before the first give-back (a busy machine bunches
      // reads), so the bound is relative: without reuse every delivery has its own buffer.
      expect(quick.text().length).toBeGreaterThan(380_000);
      expect(deliveries).toBeGreaterThanOrEqual(20);
      expect(backings.size).toBeLessThanOrEqual(Math.max(4, Math.floor(deliveries / 4)));
      b.detach();
    } finally {
      await own.cleanup();
    }
  });
});
