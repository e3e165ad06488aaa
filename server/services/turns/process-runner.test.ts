import os from "node:os";
import { describe, expect, test } from "vitest";
import { ownAutogroup } from "./autogroup";
import { prepareSpawnThread, spawnThreadReady } from "../spawn-thread";
import { providerNiceness, runProcess } from "./process-runner";

/** Runs `sh -c script` through the runner and returns its stdout lines. */
function run(script: string, niceness?: number): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    runProcess(
      { command: "sh", args: ["-c", script], env: {}, cwd: os.tmpdir(), stdin: null },
      { onLine: (l) => lines.push(l), onExit: () => resolve(lines) },
      niceness === undefined ? {} : { niceness },
    );
  });
}

describe("provider priority", () => {
  const base = os.getPriority(process.pid);

  test("a provider and the tools it starts run below the bridge", async () => {
    // `nice` (no arguments) prints its own niceness: a grandchild started after the spawn.
    expect(await run("sleep 0.2; nice", 7)).toEqual([String(Math.min(19, base + 7))]);
  });

  test("niceness 0 leaves the provider at the bridge's priority", async () => {
    expect(await run("sleep 0.2; nice", 0)).toEqual([String(base)]);
  });

  // With autogroup scheduling a new session is a scheduling group of its own, where a nice
  // value alone counts for nothing against the bridge: the group's weight is lowered too.
  // Skipped (and reported so) where this process has no autogroup: the file is absent, or empty
  // because a cgroup sets the CPU share (containers, CI).
  const bridgeGroup = ownAutogroup();
  test.skipIf(bridgeGroup === null)(
    "the provider's session (its autogroup) is lowered as well, for every provider started at once",
    async () => {
      const own = bridgeGroup!.nice;
      const want = Math.min(19, own + 6);
      // Without CAP_SYS_ADMIN the kernel allows one such write per 100 ms machine-wide, so five
      // providers started together are lowered one after another: each waits (up to 5 s) to see it.
      const script = `for i in $(seq 1 50); do grep -q "nice ${want}$" /proc/self/autogroup && break; sleep 0.1; done; cat /proc/self/autogroup`;
      const outputs = await Promise.all(Array.from({ length: 5 }, () => run(script, 6)));
      for (const lines of outputs) expect(lines[0]).toMatch(new RegExp(`nice ${want}$`));
      // Each is a group of its own, not the bridge's (whose nice is untouched).
      expect(new Set(outputs.map((lines) => lines[0]!.split(" ")[0])).size).toBe(5);
      expect(outputs.map((lines) => lines[0]!.split(" ")[0])).not.toContain(bridgeGroup!.name);
      expect(ownAutogroup()).toEqual(bridgeGroup);
    },
  );

  test.each([
    [undefined, 10],
    ["", 10],
    ["0", 0],
    ["5", 5],
    ["40", 19],
    ["-3", 0],
    ["fast", 10],
  ])("MAESTRO_PROVIDER_NICE=%s → %i", (raw, expected) => {
    expect(providerNiceness(raw === undefined ? {} : { MAESTRO_PROVIDER_NICE: raw })).toBe(expected);
  });
});

describe("stdin kept open (a CLI that asks for approvals)", () => {
  /** `sh` that echoes each stdin line back until EOF, then says so. */
  const ECHO = 'while IFS= read -r l; do echo "got:$l"; done; echo eof';

  test("the first input goes in at once; lines written later arrive; endInput ends it", async () => {
    const lines: string[] = [];
    const exit = new Promise<void>((resolve) => {
      const proc = runProcess(
        { command: "sh", args: ["-c", ECHO], env: {}, cwd: os.tmpdir(), stdin: "first\n", stdinOpen: true },
        {
          onLine: (l) => {
            lines.push(l);
            if (l === "got:first") expect(proc.write("second\n")).toBe(true);
            if (l === "got:second") proc.endInput();
          },
          onExit: () => resolve(),
        },
      );
    });
    await exit;
    expect(lines).toEqual(["got:first", "got:second", "eof"]);
  });

  test("a write after the process ended is refused, not thrown", async () => {
    let proc!: ReturnType<typeof runProcess>;
    await new Promise<void>((resolve) => {
      proc = runProcess(
        { command: "sh", args: ["-c", "exit 0"], env: {}, cwd: os.tmpdir(), stdin: "x\n", stdinOpen: true },
        { onLine: () => {}, onExit: () => resolve() },
      );
    });
    expect(proc.write("late\n")).toBe(false);
    proc.endInput();
  });

  test("the idle watchdog is held while the CLI waits for a person, and counts afresh after", async () => {
    const started = Date.now();
    const result = await new Promise<{ timedOut: boolean; lines: string[] }>((resolve) => {
      const lines: string[] = [];
      const proc = runProcess(
        { command: "sh", args: ["-c", `echo asking; ${ECHO}`], env: {}, cwd: os.tmpdir(), stdin: "", stdinOpen: true },
        {
          onLine: (l) => {
            lines.push(l);
            if (l === "asking") {
              proc.holdIdle(true);
              // Silent for 3× the idle limit: held, so not killed; then answered and released.
              setTimeout(() => {
                proc.holdIdle(false);
                proc.write("answer\n");
              }, 600);
            }
          },
          onExit: ({ timedOut }) => resolve({ timedOut, lines }),
        },
        { idleTimeoutMs: 200 },
      );
    });
    // Released, the silent shell (stdin still open) is killed by the watchdog once more.
    expect(result.lines).toEqual(["asking", "got:answer"]);
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
  });
});

describe("started off the main thread", () => {
  test("a stop asked for before the thread has said the CLI started still reaches it", async () => {
    prepareSpawnThread();
    for (let i = 0; i < 200 && !spawnThreadReady(); i++) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    const exit = await new Promise<{ signal: string | null; exitCode: number | null }>((resolve) => {
      const p = runProcess(
        { command: "sh", args: ["-c", "trap 'exit 130' INT; sleep 30 & wait"], env: {}, cwd: os.tmpdir(), stdin: null },
        { onLine: () => {}, onExit: resolve },
        { stopGraceMs: 200 },
      );
      // No pid yet: the thread answers after this tick.
      expect(p.pid).toBeUndefined();
      p.stop();
    });
    expect(exit.exitCode === 130 || exit.signal !== null).toBe(true);
    // Ended by the stop, not by the 30 s sleep running out.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
