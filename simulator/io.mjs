// Output: one JSON object per line, paced, with the stream faults (malformed, hang, crash)
// injected at the right moments, and exits that never lose buffered output.

/**
 * @typedef {"start"|"started"|"thinking"|"text"|"tool"|"final"|"error"|"other"|"ask"} Tag
 * @typedef {{tag: Tag, line?: object|string, requestId?: string, onSigint?: () => object[]}} Item
 *   "started" carries no line: it marks the end of the session-start events. "ask" is a
 *   permission request: emit prints it, waits for the answer and hands it back to the generator.
 */

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The shortest pause between bursts of output when pacing fast streams. */
const MIN_TICK_MS = 20;

let exiting = false;

/**
 * Exit once stdout and stderr have flushed (the empty write's callback runs after every
 * earlier write). A signal exit gives a blocked reader at most `forceMs` before leaving.
 * @param {number} code
 * @param {number} [forceMs]
 */
export function exitAfterFlush(code, forceMs) {
  if (exiting) {
    if (forceMs === undefined) return;
  }
  exiting = true;
  process.exitCode = code;
  const done = () => process.exit(code);
  if (forceMs !== undefined) setTimeout(done, forceMs).unref?.();
  process.stdout.write("", () => process.stderr.write("", done));
}

/** @type {(() => boolean) | null} */
let sigintHook = null;

/** A SIGINT handler that runs first; returning true means it handled the signal. @param {() => boolean} fn */
export function onSigint(fn) {
  sigintHook = fn;
}

/** Exit 130 on SIGINT and 143 on SIGTERM, after flushing. */
export function installSignalHandlers() {
  process.on("SIGINT", () => {
    if (sigintHook?.()) return exitAfterFlush(0, 1000);
    exitAfterFlush(130, 1000);
  });
  process.on("SIGTERM", () => exitAfterFlush(143, 1000));
  process.on("SIGHUP", () => exitAfterFlush(129, 1000));
  process.stdout.on("error", (e) => {
    if (/** @type {any} */ (e).code === "EPIPE") process.exit(1);
  });
}

/** Never resolves; keeps the process alive until a signal arrives. */
export function hangForever() {
  setInterval(() => {}, 1 << 30);
  return new Promise(() => {});
}

/** A mark in a padding chunk that `writeLine` replaces with the time the chunk was first written. @param {number} k */
export const sentMark = (k) => `@sim-sent:${k}@`;
const SENT_MARK = /@sim-sent:(\d+)@/g;
/** @type {Map<string, number>} padding chunk → when it was first written (later lines repeat it: a result holds them all) */
const sentAt = new Map();

/** @param {object|string} line */
export function writeLine(line) {
  let text = typeof line === "string" ? line : JSON.stringify(line);
  if (text.includes("@sim-sent:")) {
    const now = Date.now();
    text = text.replace(SENT_MARK, (_, k) => {
      if (!sentAt.has(k)) sentAt.set(k, now);
      return String(sentAt.get(k));
    });
  }
  process.stdout.write(text + "\n");
}

/**
 * @typedef {object} EmitOptions
 * @property {import("./faults.mjs").Faults} faults
 * @property {boolean} [silent]                 collect, don't print (non-JSON output modes)
 * @property {() => [string, object]} [malformed] the bad line and the unknown-type event
 * @property {() => string} [crashText]          the stack trace written on crash
 * @property {(item: Item) => Promise<unknown>} [ask] print a request line and wait for its answer
 */

/**
 * Emit a turn's items. Resolves with the lines emitted; on crash it exits the process.
 * @param {Iterator<Item, void, unknown>} items
 * @param {EmitOptions} o
 * @returns {Promise<object[]>}
 */
export async function emit(items, o) {
  const { faults } = o;
  /** @type {object[]} */
  const lines = [];
  let started = false;
  let owedMs = 0;
  /** @type {unknown} */
  let answer;
  for (;;) {
    const step = items.next(answer);
    answer = undefined;
    if (step.done) break;
    const item = step.value;
    if (item.tag === "ask" && item.line !== undefined && o.ask) {
      owedMs = 0;
      lines.push(typeof item.line === "string" ? { raw: item.line } : item.line);
      answer = await o.ask(item);
      continue;
    }
    if (item.tag === "started") {
      started = true;
      if (faults.malformed && o.malformed && !o.silent) {
        const [bad, unknown] = o.malformed();
        if (faults.delayMs) await sleep(faults.delayMs);
        writeLine(bad);
        if (faults.delayMs) await sleep(faults.delayMs);
        writeLine(unknown);
      }
      if (faults.hang) await hangForever();
      continue;
    }
    if (item.line === undefined) continue;
    if (lines.length > 0 && faults.delayMs && !o.silent) {
      // Fast rates are paced in small bursts (a tick of at least MIN_TICK_MS), the way real
      // CLIs flush, so twenty simulators at 200 lines/s do not spend a core on timer wakeups.
      owedMs += faults.delayMs;
      if (owedMs >= MIN_TICK_MS) {
        await sleep(owedMs);
        owedMs = 0;
      }
    }
    if (!o.silent) writeLine(item.line);
    lines.push(typeof item.line === "string" ? { raw: item.line } : item.line);
    if (faults.crash && started && item.tag === "text") {
      process.stderr.write(o.crashText ? o.crashText() : "Error: simulated crash\n");
      exitAfterFlush(1);
      await new Promise(() => {});
    }
  }
  return lines;
}
