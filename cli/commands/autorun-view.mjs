// @ts-check

/**
 * A run's events for a person (without --json). On a terminal (stdout and stderr TTYs, no
 * -q/NO_COLOR) one live progress line on stderr, "Task 3 of 12 · plan · 1m 02s · $0.04",
 * redrawn in place, with a line per finished task above it; piped, plain lines per task.
 * Hand-written: one line needs no progress-bar package.
 */

/** @param {number} ms */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** @param {number} usd */
export const money = (usd) => `$${usd.toFixed(2)}`;

/** @param {unknown} text */
const firstLine = (text) => String(text ?? "").split("\n")[0] ?? "";

/**
 * @typedef {{ type: string, timestamp: number } & Record<string, any>} Line
 * @typedef {{ event(line: Line): void, end(): void }} RunView
 */

/**
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {{ stdout?: NodeJS.WriteStream, stderr?: NodeJS.WriteStream, env?: Record<string, string | undefined>, now?: () => number }} [io]
 * @returns {RunView}
 */
export function createRunView(ctx, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const now = io.now ?? Date.now;
  const live = Boolean(stdout.isTTY && stderr.isTTY) && !ctx.opts.quiet && !env.NO_COLOR && ctx.opts.color !== false;
  const { green, red, yellow, dim, bold } = ctx.out.colors;
  const say = (/** @type {string} */ text) => {
    clear();
    stdout.write(`${text}\n`);
    draw();
  };

  let total = 0;
  let taskNo = 0;
  let cost = 0;
  let document = "";
  let agent = "AGENT";
  let startedAt = 0;
  let running = false;
  /** @type {NodeJS.Timeout | null} */
  let timer = null;
  let drawn = false;

  function status() {
    const parts = [`Task ${taskNo} of ${Math.max(total, taskNo)}`, document, duration(now() - startedAt), money(cost)];
    return parts.filter(Boolean).join(" · ");
  }
  function draw() {
    if (!live || !running) return;
    stderr.write(`\r\x1b[2K${status()}`);
    drawn = true;
  }
  function clear() {
    if (drawn) stderr.write("\r\x1b[2K");
    drawn = false;
  }

  return {
    event(l) {
      switch (l.type) {
        case "start":
          startedAt = l.timestamp;
          agent = /\s/.test(l.session?.name ?? "") ? l.session?.id : (l.session?.name ?? agent);
          running = true;
          if (live) {
            timer = setInterval(draw, 1000);
            timer.unref();
          }
          say(bold(`Auto Run “${l.playbook?.name}” on ${l.session?.name} (run ${l.runId})`));
          break;
        case "document_start":
          total += Number(l.taskCount) || 0;
          document = l.document;
          draw();
          break;
        case "task_start":
          taskNo++;
          document = l.document;
          draw();
          break;
        case "task_complete": {
          cost += Number(l.usageStats?.totalCostUsd) || 0;
          const mark = l.success ? (l.status === "no-progress" ? yellow("·") : green("✓")) : red("✗");
          const took = dim(`(${duration(l.elapsedMs)}${l.usageStats?.totalCostUsd ? `, ${money(l.usageStats.totalCostUsd)}` : ""})`);
          say(`${mark} ${l.document} · task ${taskNo}: ${firstLine(l.summary)} ${took}`);
          break;
        }
        case "loop_complete":
          say(dim(`Loop ${l.iteration} done: ${l.tasksCompleted} task(s).`));
          total = 0;
          taskNo = 0;
          break;
        case "paused":
          say(yellow(`Paused: ${l.reason}`));
          break;
        case "resumed":
          say(dim("Resumed."));
          break;
        case "halt":
          say(yellow(`${l.pauseKind ? "Paused" : "Halted"}${l.document ? ` at ${l.document}` : ""}: ${l.reason}`));
          break;
        case "gap":
          say(dim(l.reason));
          break;
        case "complete": {
          running = false;
          const totals = `${l.totalTasksCompleted} task(s) in ${duration(l.totalElapsedMs)}, ${money(Number(l.totalCost) || 0)}`;
          if (l.success) say(green(`Done: ${totals}.`));
          else if (l.status === "paused")
            say(yellow(`The run is paused (${totals}). Resume it with \`maestro resume-auto-run -a ${agent}\` or in the app.`));
          else say(red(`Ended ${l.status ?? "unsuccessfully"}: ${l.endReason || l.haltReason || ""} (${totals}).`));
          break;
        }
        case "error":
          say(red(`${l.message}`));
          break;
      }
    },
    end() {
      running = false;
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
