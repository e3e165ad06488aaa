import { TRPCError } from "@trpc/server";
import { isTrackedEnvelope } from "@trpc/server/unstable-core-do-not-import";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { CliPrincipal } from "./auth/service";
import { createContextInner } from "./context";
import { ensureDataDir } from "./data-dir";
import { acquireLock, releaseLock, type LockInfo } from "./data-lock";
import { openDatabase } from "./db";
import { readServicesEnv } from "./env";
import { AppError, HTTP_STATUS } from "./errors";
import type { Logger } from "./logger";
import { appRouter } from "./routers/_app";
import { createServices } from "./services";
import { createCallerFactory } from "./trpc";
import { VERSION } from "./version";

/**
 * Headless mode: what the bridge does for the `maestro` CLI, in the CLI's own process, when no
 * bridge runs for the data dir. The same order as the bridge's start (server/main.ts): the data
 * dir, the lock (before migrations and recovery: recovery pauses every run left "running"), the
 * database, the services, then the same recovery. Calls go through the bridge's own router with
 * a CLI principal, so auth, input checks and error mapping are the ones a bridge applies. No HTTP,
 * no Next, no tunnel, no cli-token, no bridge.json.
 */

/** Who a headless call is: the owner's CLI (the bridge's Bearer principal), with no session row. */
const HEADLESS: CliPrincipal = { kind: "cli", sessionId: "headless" };

/** An error as the bridge's HTTP answer would carry it (cli/trpc-http.mjs `errorFor` reads it). */
export interface WireError {
  status: number;
  body: { error: { json: { message: string; data: { code: string; httpStatus: number } } } };
}

const TRPC_CODE: Record<AppError["code"], TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

/** A thrown value as the status and body the bridge would have answered. */
export function wireError(err: unknown): WireError {
  let code: string;
  let status: number;
  let message: string;
  if (err instanceof TRPCError) {
    code = err.code;
    status = getHTTPStatusCodeFromError(err);
    message = err.message;
  } else if (err instanceof AppError) {
    // Thrown inside a subscription's stream, past the procedure's error mapping.
    code = TRPC_CODE[err.code];
    status = HTTP_STATUS[err.code];
    message = err.message;
  } else {
    code = "INTERNAL_SERVER_ERROR";
    status = 500;
    message = err instanceof Error ? err.message : String(err);
  }
  return { status, body: { error: { json: { message, data: { code, httpStatus: status } } } } };
}

/** Values as the wire carries them: Dates become ISO strings, undefined fields vanish. */
const wire = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  !!v && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";

export interface Headless {
  version: string;
  /** A query or mutation by dotted path; throws a WireError-carrying Error on failure. */
  call(path: string, input: unknown): Promise<unknown>;
  /** A subscription by dotted path: its values until the procedure returns or `signal` aborts. */
  subscribe(path: string, input: unknown, signal?: AbortSignal): AsyncGenerator<unknown>;
  /** Pauses running runs (resumable), stops every child, closes the database, releases the lock. Idempotent. */
  close(): Promise<void>;
}

/** A failure carried out of this module: `wire` is what the bridge would have answered. */
export class HeadlessCallError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.body.error.json.message);
  }
}

const createCaller = createCallerFactory(appRouter);

type Procedure = (input: unknown) => Promise<unknown>;
function procedureAt(caller: unknown, path: string): Procedure {
  // The caller is a proxy: any path resolves, and an unknown one is tRPC's NOT_FOUND when called.
  return path.split(".").reduce((node, key) => (node as Record<string, unknown>)[key], caller) as Procedure;
}

/**
 * Opens the data dir headless: `{ held }` when a bridge or another headless maestro holds its
 * lock (nothing was opened), else the handle. Throws on an unwritable data dir or a database that
 * does not open (the lock is released again).
 */
export async function openHeadless(dataDir: string, opts: { logger: Logger }): Promise<Headless | { held: LockInfo }> {
  ensureDataDir(dataDir);
  const lock = acquireLock(dataDir, "headless");
  if (!lock.ok) return { held: lock.holder };
  // Even a crash that skips close() leaves no lock behind (the runs it left are paused by the next start).
  const onExit = () => releaseLock(dataDir, lock.lock);
  process.on("exit", onExit);
  let db: ReturnType<typeof openDatabase> | null = null;
  let services: ReturnType<typeof createServices> | null = null;
  try {
    db = openDatabase(dataDir);
    services = createServices(db, { dataDir, env: readServicesEnv(), logger: opts.logger });
    const interrupted = await services.turns.recoverInterrupted();
    if (interrupted) opts.logger.info(`Marked ${interrupted} turn(s) interrupted by the last shutdown.`);
    const paused = await services.autorun.recover({ rearmRateLimits: false });
    if (paused) opts.logger.info(`Paused ${paused} Auto Run run(s) interrupted by the last shutdown.`);
    await services.missions.recoverInterrupted();
  } catch (err) {
    await services?.shutdown().catch(() => {});
    await db?.$disconnect().catch(() => {});
    releaseLock(dataDir, lock.lock);
    process.off("exit", onExit);
    throw err;
  }
  const live = services;
  const liveDb = db;
  let closing: Promise<void> | null = null;

  const callerFor = (signal?: AbortSignal) => createCaller(createContextInner({ services: live, principal: HEADLESS }), { signal });

  return {
    version: VERSION,
    async call(path, input) {
      try {
        return wire(await procedureAt(callerFor(), path)(input));
      } catch (err) {
        throw new HeadlessCallError(wireError(err));
      }
    },
    async *subscribe(path, input, signal) {
      let stream: unknown;
      try {
        stream = await procedureAt(callerFor(signal), path)(input);
      } catch (err) {
        throw new HeadlessCallError(wireError(err));
      }
      if (!isAsyncIterable(stream)) throw new HeadlessCallError(wireError(new Error(`${path} is not a subscription.`)));
      try {
        // A tracked event (`tracked(id, data)`) goes over SSE as its data with an `id:` line; the
        // Client hands out the data alone in both modes.
        for await (const value of stream) yield wire(isTrackedEnvelope(value) ? value[1] : value);
      } catch (err) {
        if (signal?.aborted) return;
        throw new HeadlessCallError(wireError(err));
      }
    },
    close() {
      closing ??= (async () => {
        try {
          await live.shutdown("The headless maestro command");
          await liveDb.$disconnect();
        } finally {
          releaseLock(dataDir, lock.lock);
          process.off("exit", onExit);
        }
      })();
      return closing;
    },
  };
}
