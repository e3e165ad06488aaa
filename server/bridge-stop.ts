/**
 * How the bridge stops. Installed before anything that takes time (migrations, the first `next
 * build`, Next's prepare), so a signal at any moment runs the same clean stop: whatever is up so
 * far is closed, bridge.json removed, and the data-dir lock released on exit. Without it a
 * SIGTERM during the first build killed the process by default and left the lock behind.
 *
 * - SIGINT, SIGTERM and SIGHUP stop it. A repeat within REPEAT_MS is the same stop delivered twice
 *   (a terminal's Ctrl-C reaches the whole foreground group, and `maestro start` or npm pass it on
 *   as well); a later one means "exit now".
 * - Its `maestro start` parent dying stops it too (a supervisor's SIGKILL of the wrapper,
 *   `timeout -s KILL`): the IPC channel `maestro start` opens ends, and under
 *   MAESTRO_SUPERVISED=1 a changed parent pid says the same without a channel.
 */
export const REPEAT_MS = 1_000;
const PARENT_POLL_MS = 500;
const FORCE_MS = 10_000;

/** One thing to close on the way out; steps run newest first. */
type Step = () => unknown;

export interface BridgeStop {
  /** Adds a step to run when stopping (the server, services, the database, bridge.json). */
  onStop(step: Step): void;
  /** True once a stop began (a failing start should then wait for it instead of reporting). */
  readonly stopping: boolean;
}

export function installBridgeStop(opts: { log?: (line: string) => void; error?: (line: string) => void } = {}): BridgeStop {
  const log = opts.log ?? ((line) => console.log(line));
  const error = opts.error ?? ((line) => console.error(line));
  const steps: Step[] = [];
  let stoppingAt = 0;

  async function stop(reason: string) {
    log(`\nStopping (${reason})…`);
    const force = setTimeout(() => {
      error("maestro: shutdown took too long, exiting");
      process.exit(1);
    }, FORCE_MS);
    force.unref();
    for (const step of steps.slice().reverse()) {
      try {
        await step();
      } catch (err) {
        error(`maestro: while stopping: ${(err as Error).message}`);
      }
    }
    process.exit(0);
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingAt) {
      if (Date.now() - stoppingAt < REPEAT_MS) return;
      error(`maestro: ${signal} again, exiting now`);
      process.exit(1);
    }
    stoppingAt = Date.now();
    void stop(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  const parentGone = () => {
    if (stoppingAt) return;
    stoppingAt = Date.now();
    void stop("its maestro parent exited");
  };
  // `maestro start` opens an IPC channel; it ends when maestro does, however it died.
  if (process.channel) process.on("disconnect", parentGone);
  if (process.env.MAESTRO_SUPERVISED === "1") {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) parentGone();
    }, PARENT_POLL_MS).unref();
  }
  // Only this process is supervised, not the agents and terminals it spawns.
  delete process.env.MAESTRO_SUPERVISED;

  return {
    onStop: (step) => void steps.push(step),
    get stopping() {
      return stoppingAt > 0;
    },
  };
}
