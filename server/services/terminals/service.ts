import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { spawn, type IPty } from "node-pty";
import { ByteRing } from "../../../lib/terminal/ring";
import type { TerminalExit } from "../../../lib/terminal/protocol";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { AgentsService } from "../agents/service";
import { killSession } from "./kill";
import type { ServicesEnv } from "../../env";
import { defaultShell, resolveShell } from "./shell";

/**
 * Keeps a lent output chunk past the `data` call; the function it returns gives it back.
 * (Output batches are reused: a sink that hands a chunk to an async write, such as a socket,
 * borrows it until the write is done, and must give it back exactly once, or not at all.)
 */
export type Borrow = () => () => void;

/** What a connected client receives. Called synchronously; a sink must not throw. */
export interface TerminalSink {
  /** Output. `chunk` is valid during the call only, unless borrowed. */
  data(chunk: Buffer, borrow: Borrow): void;
  exit(exit: TerminalExit): void;
  closed(reason: string): void;
}

/** One client's hold on a terminal (see `attach`). */
export interface Attachment {
  /** The scrollback at the moment of attaching; live output follows through the sink. */
  snapshot: Buffer;
  info: TerminalInfo;
  input(data: Buffer | string): void;
  resize(cols: number, rows: number): void;
  /** Flow control: the pty stays paused while any attached client holds it. */
  hold(): void;
  release(): void;
  detach(): void;
}

export interface TerminalInfo {
  id: string;
  agentId: string;
  name: string;
  cwd: string;
  shell: string;
  pid: number;
  cols: number;
  rows: number;
  createdAt: Date;
  exit: TerminalExit | null;
  clients: number;
}

export interface TerminalsOptions {
  /** Scrollback kept per terminal, in bytes (default 2 MiB). */
  scrollbackBytes?: number;
  /** A terminal nobody has looked at for this long is closed (default 2 hours). */
  idleTimeoutMs?: number;
  /** Output is gathered this long before it is sent (default 5 ms)… */
  batchMs?: number;
  /**
   * …or until this much is waiting (default 64 KiB). Smaller than the 256 KiB cap on
   * purpose: the pty's kernel buffer holds about 64 KiB, so while the bridge's one thread is busy
   * sending a batch the shell may block; a 64 KiB send keeps each turn of the event loop short
   * (bench:pty, paired median over 9 runs: 0.86–0.94 at 256 KiB, 0.88–1.05 at 64 KiB).
   */
  maxBatchBytes?: number;
  /** Between SIGHUP and SIGKILL when a terminal closes (default 500 ms). */
  killGraceMs?: number;
}

interface Terminal {
  info: Omit<TerminalInfo, "clients">;
  pty: IPty | null;
  ring: ByteRing;
  sinks: Set<TerminalSink>;
  holds: Set<TerminalSink>;
  /** Output gathered since the last flush: `pendingBytes` bytes at the front of `batch`. */
  batch: Buffer | null;
  pendingBytes: number;
  /** Batches given back by every sink that borrowed them, ready to be filled again. */
  spare: Buffer[];
  flushTimer: NodeJS.Timeout | null;
  idleTimer: NodeJS.Timeout | null;
  /** Input arrived and its answer (the echo) has not been sent yet: send it without waiting. */
  answerInput: boolean;
  exited: Promise<void>;
  closing: Promise<void> | null;
}

const MAX_PER_AGENT = 20;
/** Batches kept for reuse per terminal while output floods (each `maxBatchBytes`). */
const MAX_SPARE_BATCHES = 2;
const keepForever: Borrow = () => () => {};

/**
 * Command terminals: real shells in real PTYs, cwd = the agent's folder, several per agent.
 *
 * Terminals live in memory only: a shell cannot outlive the bridge process that holds its pty,
 * so there is nothing to persist; a bridge restart starts with none. Each keeps a bounded
 * scrollback ring so a client that reconnects gets its screen back, and outlives its clients
 * until it is closed, its agent is deleted, it sits unwatched past the idle timeout, or the
 * bridge stops. Closing kills the shell's whole session, so no process is left behind.
 */
export function createTerminalsService(deps: {
  agents: AgentsService;
  bus: Bus;
  env: Pick<ServicesEnv, "path" | "shell">;
  options?: TerminalsOptions;
}) {
  const { agents, bus } = deps;
  const scrollbackBytes = deps.options?.scrollbackBytes ?? 2 * 1024 * 1024;
  const idleTimeoutMs = deps.options?.idleTimeoutMs ?? 2 * 3600_000;
  const batchMs = deps.options?.batchMs ?? 5;
  const maxBatchBytes = deps.options?.maxBatchBytes ?? 64 * 1024;
  const killGraceMs = deps.options?.killGraceMs ?? 500;
  const terminals = new Map<string, Terminal>();
  let stopped = false;

  const infoOf = (t: Terminal): TerminalInfo => ({ ...t.info, clients: t.sinks.size });

  function mustGet(id: string): Terminal {
    const t = terminals.get(id);
    if (!t) throw new AppError("NOT_FOUND", "That terminal is closed.");
    return t;
  }

  function flush(t: Terminal, byTimer = false) {
    if (t.flushTimer) clearTimeout(t.flushTimer);
    t.flushTimer = null;
    // A flush by the timer means the output has slowed down: spare batches are not needed.
    if (byTimer) t.spare.length = 0;
    if (t.pendingBytes === 0 || !t.batch) return;
    const batch = t.batch;
    const chunk = batch.subarray(0, t.pendingBytes);
    t.pendingBytes = 0;
    let loans = 0;
    const borrow: Borrow = () => {
      loans += 1;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        loans -= 1;
        // Back after the flush moved on to another batch: keep it for the next one.
        if (loans === 0 && t.batch !== batch && t.spare.length < MAX_SPARE_BATCHES) t.spare.push(batch);
      };
    };
    // The ring copies the bytes in: the batch is free again once no sink borrows it.
    deliver(t, chunk, borrow);
    if (loans > 0) t.batch = null; // still lent: the next read fills a spare or a new one
  }

  /** Into the ring at send time, so a client attaching meanwhile gets each byte exactly once. */
  function deliver(t: Terminal, chunk: Buffer, borrow: Borrow) {
    t.ring.push(chunk);
    for (const sink of t.sinks) sink.data(chunk, borrow);
  }

  function onOutput(t: Terminal, chunk: Buffer) {
    // Each read is copied into the batch at once: the read's own buffer (a view into a 64 KiB
    // socket slab) then dies young instead of being kept, and a flush needs no concat.
    if (t.pendingBytes + chunk.length > maxBatchBytes) flush(t);
    if (chunk.length >= maxBatchBytes) {
      t.answerInput = false;
      // A read bigger than a batch goes out as it is: it was never ours to reuse.
      deliver(t, chunk, keepForever);
      return;
    }
    t.batch ??= t.spare.pop() ?? Buffer.allocUnsafeSlow(maxBatchBytes);
    chunk.copy(t.batch, t.pendingBytes);
    t.pendingBytes += chunk.length;
    if (t.answerInput || t.pendingBytes >= maxBatchBytes) {
      t.answerInput = false;
      flush(t);
    } else if (!t.flushTimer) {
      t.flushTimer = setTimeout(() => flush(t, true), batchMs);
    }
  }

  function armIdle(t: Terminal) {
    if (t.idleTimer) clearTimeout(t.idleTimer);
    t.idleTimer = null;
    if (t.sinks.size > 0) return;
    t.idleTimer = setTimeout(() => void close(t.info.id, "idle"), idleTimeoutMs);
    t.idleTimer.unref();
  }

  function close(id: string, reason = "closed"): Promise<void> {
    const t = terminals.get(id);
    if (!t) return Promise.resolve();
    if (t.closing) return t.closing;
    t.closing = (async () => {
      if (t.idleTimer) clearTimeout(t.idleTimer);
      if (t.pty) t.pty.resume(); // a paused pty could not even read its own hang-up
      await killSession(t.info.pid, killGraceMs);
      await Promise.race([t.exited, new Promise((r) => setTimeout(r, 2000))]);
      flush(t);
      terminals.delete(id);
      for (const sink of [...t.sinks]) sink.closed(reason);
      t.sinks.clear();
      t.holds.clear();
    })();
    return t.closing;
  }

  async function closeAgent(agentId: string) {
    await Promise.all([...terminals.values()].filter((t) => t.info.agentId === agentId).map((t) => close(t.info.id, "agent deleted")));
  }

  // A deleted agent takes its terminals with it.
  bus.subscribe("agents.changed", ({ agentId }) => {
    if (!agentId || ![...terminals.values()].some((t) => t.info.agentId === agentId)) return;
    agents.byId(agentId).then(
      () => {},
      (err) => {
        if (err instanceof AppError && err.code === "NOT_FOUND") void closeAgent(agentId);
      },
    );
  });

  return {
    list(agentId: string): TerminalInfo[] {
      return [...terminals.values()].filter((t) => t.info.agentId === agentId).map(infoOf);
    },

    byId(id: string): TerminalInfo {
      return infoOf(mustGet(id));
    },

    async create(agentId: string, opts: { name?: string; cols?: number; rows?: number } = {}): Promise<TerminalInfo> {
      if (stopped) throw new AppError("CONFLICT", "The bridge is stopping.");
      const agent = await agents.byId(agentId);
      const settings = await agents.settings(agentId);
      const mine = [...terminals.values()].filter((t) => t.info.agentId === agentId);
      if (mine.length >= MAX_PER_AGENT)
        throw new AppError("CONFLICT", `An agent can have up to ${MAX_PER_AGENT} terminals; close one first.`);
      if (!fs.statSync(agent.folder, { throwIfNoEntry: false })?.isDirectory()) {
        throw new AppError("BAD_INPUT", `The agent's folder ${agent.folder} is missing.`, {
          hint: "Restore the folder, or point the agent at another one.",
        });
      }
      const shell = resolveShell(settings.terminalShell || defaultShell({ SHELL: deps.env.shell, PATH: deps.env.path }), deps.env.path);
      const cols = opts.cols ?? 80;
      const rows = opts.rows ?? 24;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
      Object.assign(env, { TERM: "xterm-256color", COLORTERM: "truecolor" });
      let pty: IPty;
      try {
        pty = spawn(shell, [], { name: "xterm-256color", cols, rows, cwd: agent.folder, env, encoding: null });
      } catch (err) {
        throw new AppError("BAD_INPUT", `Couldn't start ${shell}: ${(err as Error).message}`, { field: "terminalShell", cause: err });
      }
      let markExited!: () => void;
      const id = randomUUID();
      const used = new Set(mine.map((t) => t.info.name));
      let n = mine.length + 1;
      while (used.has(`Terminal ${n}`)) n++;
      const t: Terminal = {
        info: {
          id,
          agentId,
          name: opts.name?.trim() || `Terminal ${n}`,
          cwd: agent.folder,
          shell,
          pid: pty.pid,
          cols,
          rows,
          createdAt: new Date(),
          exit: null,
        },
        pty,
        ring: new ByteRing(scrollbackBytes),
        sinks: new Set(),
        holds: new Set(),
        batch: null,
        spare: [],
        pendingBytes: 0,
        flushTimer: null,
        idleTimer: null,
        answerInput: false,
        exited: new Promise<void>((r) => (markExited = r)),
        closing: null,
      };
      terminals.set(id, t);
      pty.onData((data) => onOutput(t, data as unknown as Buffer));
      pty.onExit(({ exitCode, signal }) => {
        // The last output may still be in the pty's socket: let it drain before saying goodbye.
        setTimeout(() => {
          flush(t);
          t.info.exit = { code: signal ? null : exitCode, signal: signal || null };
          t.pty = null;
          for (const sink of t.sinks) sink.exit(t.info.exit);
          markExited();
        }, 20);
      });
      if (settings.terminalStartup?.trim()) pty.write(`${settings.terminalStartup.trim()}\r`);
      armIdle(t);
      return infoOf(t);
    },

    rename(id: string, name: string): TerminalInfo {
      const t = mustGet(id);
      const clean = name.trim();
      if (!clean) throw new AppError("BAD_INPUT", "A terminal needs a name.", { field: "name" });
      t.info.name = clean;
      return infoOf(t);
    },

    close,

    /** Connects a client: it gets the scrollback now and every output byte after it. */
    attach(id: string, sink: TerminalSink): Attachment {
      const t = mustGet(id);
      if (t.closing) throw new AppError("NOT_FOUND", "That terminal is closed.");
      flush(t);
      t.sinks.add(sink);
      armIdle(t);
      const release = () => {
        if (t.holds.delete(sink) && t.holds.size === 0) t.pty?.resume();
      };
      return {
        snapshot: asBuffer(t.ring.snapshot()),
        info: infoOf(t),
        input(data) {
          if (!t.pty || t.closing) return;
          t.answerInput = true;
          flush(t);
          t.pty.write(data);
        },
        resize(cols, rows) {
          if (!t.pty || t.closing) return;
          t.info.cols = cols;
          t.info.rows = rows;
          t.pty.resize(cols, rows);
        },
        hold() {
          if (!t.sinks.has(sink) || t.holds.has(sink)) return;
          t.holds.add(sink);
          if (t.holds.size === 1) t.pty?.pause();
        },
        release,
        detach() {
          release();
          if (t.sinks.delete(sink)) armIdle(t);
        },
      };
    },

    /** Numbers for tests and the bench: what a terminal holds in memory right now. */
    stats(id: string) {
      const t = mustGet(id);
      return { scrollbackBytes: t.ring.size, pendingBytes: t.pendingBytes, paused: t.holds.size > 0, clients: t.sinks.size };
    },

    /** Bridge shutdown: every terminal's session is killed, and waited for. */
    async shutdown() {
      stopped = true;
      await Promise.all([...terminals.keys()].map((id) => close(id, "bridge stopped")));
    },
  };
}

export type TerminalsService = ReturnType<typeof createTerminalsService>;

/** A Buffer over the same bytes (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
