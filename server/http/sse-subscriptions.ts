import type { IncomingMessage, ServerResponse } from "node:http";
import {
  getErrorShape,
  getLastEventId,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  isAbortError,
  isAsyncIterable,
  isTrackedEnvelope,
  sseHeaders,
  type AnyRouter,
  type TRPCError,
} from "@trpc/server/unstable-core-do-not-import";

/**
 * tRPC subscriptions over SSE, written straight to the socket.
 *
 * tRPC's own producer pushes every event through an async generator, a ReadableStream, a
 * TransformStream that enqueues each field separately, a TextEncoderStream and a WritableStream
 * before `res.write`, about a dozen promise hops per event. At twenty busy agents followed by
 * five phones that was over half of the bridge's CPU. This writes the same bytes (the wire
 * format of tRPC 11's `sseStreamProducer`: `connected`, tracked `data`/`id`, `restore-id`,
 * `serialized-error`, `return`) with one `write` per event, and calls the procedure the way
 * tRPC's `resolveResponse` does, so every middleware (auth, share scope, input validation) runs
 * unchanged. Cases it does not cover (pings, a duration limit, observables) go to tRPC itself:
 * `serveSubscription` returns false for them before writing anything.
 */
export interface SubscriptionRequest {
  router: AnyRouter;
  path: string;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  createContext: () => unknown;
  onError?: (opts: { error: TRPCError; path: string; input: unknown; type: "subscription" }) => void;
}

/** `event`, `data`, `id` lines as tRPC writes them, then its blank-line terminator. */
function frame(fields: { event?: string; data?: string; id?: string }): string {
  let out = "";
  if (fields.event !== undefined) out += `event: ${fields.event}\n`;
  if (fields.data !== undefined) out += `data: ${fields.data}\n`;
  if (fields.id !== undefined) out += `id: ${fields.id}\n`;
  return `${out}\n\n`;
}

/** The raw input from `?input=` as tRPC reads it for a GET, with the reconnect id merged in. */
function rawInput(router: AnyRouter, url: URL, lastEventId: string | null): { ok: true; input: unknown } | { ok: false } {
  let input: unknown;
  const raw = url.searchParams.get("input");
  if (raw !== null) {
    try {
      input = router._def._config.transformer.input.deserialize(JSON.parse(raw));
    } catch {
      return { ok: false }; // tRPC answers a malformed input itself
    }
  }
  if (lastEventId) {
    if (typeof input === "object" && input !== null && !Array.isArray(input)) input = { ...input, lastEventId };
    else input ??= { lastEventId };
  }
  return { ok: true, input };
}

export async function serveSubscription(opts: SubscriptionRequest): Promise<boolean> {
  const { router, path, req, res, url } = opts;
  const config = router._def._config;
  if (req.method !== "GET" || config.sse?.enabled === false || config.sse?.ping?.enabled || config.sse?.maxDurationMs) return false;
  const procedure = await getProcedureAtPath(router, path);
  if (!procedure || procedure._def.type !== "subscription") return false;
  // The reconnect id, as tRPC reads it: the Last-Event-Id header, else the query string.
  const requested = getLastEventId({ headers: new Headers(req.headers as Record<string, string>), searchParams: url.searchParams });
  const parsed = rawInput(router, url, requested);
  if (!parsed.ok) return false;
  const { input } = parsed;

  const abort = new AbortController();
  res.once("close", () => abort.abort());
  const ctx = opts.createContext();
  const serialize = (value: unknown) => JSON.stringify(config.transformer.output.serialize(value));
  const errorFrame = (cause: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError?.({ error, path, input, type: "subscription" });
    return frame({ event: "serialized-error", data: serialize(getErrorShape({ config, ctx, error, input, path, type: "subscription" })) });
  };

  res.statusCode = 200;
  res.setHeader("vary", "trpc-accept, accept");
  for (const [key, value] of Object.entries(sseHeaders)) res.setHeader(key, value);

  /** Writes and waits for the socket when its buffer is full (a slow phone holds the producer, not memory). */
  const send = async (text: string) => {
    // A socket already gone (the client left, the device was revoked) takes nothing more, and
    // will never drain: the loop below sees the abort and ends.
    if (res.destroyed || abort.signal.aborted) return;
    if (res.write(text) || res.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  };

  let iterator: AsyncIterator<unknown> | null = null;
  const connected = frame({ event: "connected", data: JSON.stringify(config.sse?.client ?? {}) });
  try {
    let result: unknown;
    try {
      result = await procedure({
        path,
        getRawInput: () => Promise.resolve(input),
        ctx,
        type: "subscription",
        signal: abort.signal,
        batchIndex: 0,
      });
    } catch (cause) {
      await send(connected + errorFrame(cause));
      return true;
    }
    if (!isAsyncIterable(result)) {
      await send(connected + errorFrame(new Error(`Subscription ${path} did not return an AsyncGenerator`)));
      return true;
    }
    let lastEventId = requested && !/[\0\n\r]/.test(requested) ? requested : null;
    iterator = result[Symbol.asyncIterator]();
    // The first step runs the procedure up to its first await, which is where it subscribes to the
    // bus. Only then is the client told it is connected: a client that refetches on `connected`
    // (the change-signal subscriptions do) cannot miss an event published in between.
    let next = iterator.next();
    next.catch(() => {}); // awaited below; this only keeps a failure meanwhile from counting as unhandled
    await send(connected);
    try {
      for (;;) {
        const step = await next;
        if (step.done) break;
        if (isTrackedEnvelope(step.value)) {
          lastEventId = step.value[0];
          await send(frame({ data: serialize(step.value[1]), id: step.value[0] }));
        } else if (lastEventId === null) {
          await send(frame({ data: serialize(step.value) }));
        } else {
          // An untracked event after a tracked one: tRPC blanks the id, then restores it.
          await send(frame({ data: serialize(step.value), id: "" }) + frame({ event: "restore-id", data: "", id: lastEventId }));
        }
        if (abort.signal.aborted) break;
        next = iterator.next();
      }
      if (!abort.signal.aborted) await send(frame({ event: "return", data: "" }));
    } catch (cause) {
      if (!isAbortError(cause) && !abort.signal.aborted) await send(errorFrame(cause));
    }
  } finally {
    abort.abort();
    // Let the procedure's `finally` run (bus listeners off) whatever ended the stream.
    void iterator?.return?.()?.catch(() => {});
    res.end();
  }
  return true;
}
