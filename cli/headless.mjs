// @ts-check
import { CliError, EXIT } from "./exit-codes.mjs";
import { errorFor } from "./trpc-http.mjs";

/**
 * Headless mode: the Client (cli/client.mjs) for a data dir no bridge runs for. It registers tsx
 * and loads server/headless.ts, the one file of cli/ allowed to reach the server (lazily: only a
 * data command that found no bridge pays for it), which takes the data-dir lock and runs the
 * bridge's services and router in this process.
 *
 * Every way out goes through `close()`, so no run is left "running" and no provider child
 * outlives the CLI: the command's own `finally`, Ctrl-C / SIGTERM / a closed terminal (SIGHUP),
 * a reader that left (EPIPE on stdout), and an uncaught error.
 */

/** How long a bridge that holds the lock but has not written bridge.json yet is waited for. */
const BRIDGE_STARTING_MS = 10_000;
const SIGNAL_EXIT = /** @type {const} */ ({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 });

/**
 * @param {string} dataDir
 * @param {ReturnType<typeof import("./output.mjs").createOutput>} out
 * @returns {Promise<import("./client.mjs").Client>}
 */
export async function openHeadless(dataDir, out) {
  const { register } = await import("tsx/esm/api");
  register();
  /** @type {typeof import("../server/headless.ts")} */
  const server = await import("../server/headless.ts");
  const logger = {
    /** @param {string} m */
    info: (m) => out.verbose(m),
    /** @param {string} m */
    error: (m) => process.stderr.write(`maestro: ${m}\n`),
  };
  // stdout is the command's (JSONL): whatever the services print goes to stderr.
  console.log = console.info = (...args) => console.error(...args);

  const deadline = Date.now() + BRIDGE_STARTING_MS;
  for (;;) {
    let opened;
    try {
      opened = await server.openHeadless(dataDir, { logger });
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err), EXIT.FAILED, "FAILED");
    }
    if (!("held" in opened)) return clientFor(opened, dataDir);
    const holder = opened.held;
    if (holder.kind === "headless") {
      throw new CliError(
        `a headless maestro (pid ${holder.pid}) is running in ${dataDir}; wait for it to finish or stop it.`,
        EXIT.FAILED,
        "LOCKED",
      );
    }
    // A bridge holds the lock but had not answered yet: it is starting (bridge.json comes once it listens).
    const { resolveTarget } = await import("./target.mjs");
    try {
      const target = await resolveTarget({ dataDir });
      out.verbose(`the bridge for ${dataDir} (pid ${holder.pid}) is up at ${target.url}`);
      return (await import("./client-http.mjs")).httpClient(target);
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== EXIT.UNREACHABLE) throw err;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        `the bridge (pid ${holder.pid}) holds ${dataDir} but does not answer. Wait for it to start, or stop it.`,
        EXIT.UNREACHABLE,
        "UNREACHABLE",
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * @param {import("../server/headless.ts").Headless} handle
 * @param {string} dataDir
 * @returns {import("./client.mjs").Client}
 */
function clientFor(handle, dataDir) {
  /** @param {string} path @param {unknown} err */
  const asCliError = (path, err) =>
    err && typeof err === "object" && "wire" in err
      ? errorFor(/** @type {any} */ (err).wire.status, /** @type {any} */ (err).wire.body, path)
      : err;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Detached only once closed: a Ctrl-C while the services shut down still goes through leave().
    await handle.close();
    detach();
  };
  /** Subscriptions open now: a reader leaving mid-run is a failure, not a clean end. */
  let following = 0;

  /** Ends the process after closing; a second signal while closing ends it at once. */
  let leaving = false;
  /** @param {number} code */
  const leave = (code) => {
    if (leaving) process.exit(code);
    leaving = true;
    const force = setTimeout(() => process.exit(code), 15_000);
    force.unref();
    void handle.close().finally(() => process.exit(code));
  };
  /** @type {[string, (...a: any[]) => void][]} */
  const handlers = [
    ...Object.entries(SIGNAL_EXIT).map(([sig, code]) => /** @type {[string, () => void]} */ ([sig, () => leave(code)])),
    [
      "uncaughtException",
      (err) => {
        process.stderr.write(`maestro: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        leave(EXIT.FAILED);
      },
    ],
    [
      "unhandledRejection",
      (err) => {
        process.stderr.write(`maestro: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        leave(EXIT.FAILED);
      },
    ],
  ];
  for (const [event, fn] of handlers) process.on(/** @type {any} */ (event), fn);
  // The reader left (`| head -1`): nobody to print to, but the run must still be paused and the
  // lock released, so this replaces the CLI's plain "exit 0 on EPIPE".
  const previous = process.stdout.listeners("error");
  process.stdout.removeAllListeners("error");
  /** @param {NodeJS.ErrnoException} err */
  const onStdoutError = (err) => {
    // A listing cut short (`| head -1`) is fine; a run whose stream lost its reader did not finish.
    if (err.code === "EPIPE") leave(following > 0 ? EXIT.FAILED : EXIT.OK);
    else leave(EXIT.FAILED);
  };
  process.stdout.on("error", onStdoutError);
  function detach() {
    for (const [event, fn] of handlers) process.off(/** @type {any} */ (event), fn);
    process.stdout.off("error", onStdoutError);
    for (const fn of previous) process.stdout.on("error", /** @type {any} */ (fn));
  }

  return {
    mode: "headless",
    url: null,
    dataDir,
    version: handle.version,
    query: async (path, input) => handle.call(path, input).catch((err) => Promise.reject(asCliError(path, err))),
    mutate: async (path, input) => handle.call(path, input).catch((err) => Promise.reject(asCliError(path, err))),
    async *subscribe(path, input, opts) {
      // In-process, an open stream is only a pending promise: nothing would keep node's event loop
      // alive while a run waits out a rate limit (its resume timer is unref'd), and the process
      // would end mid-run. This handle holds it open for as long as the stream is followed.
      const keepAlive = setInterval(() => {}, 60_000);
      following++;
      try {
        yield* handle.subscribe(path, input, opts?.signal);
      } catch (err) {
        throw asCliError(path, err);
      } finally {
        following--;
        clearInterval(keepAlive);
      }
    },
    close,
  };
}
