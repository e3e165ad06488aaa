// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { activeRun, resolveAgent } from "./autorun-refs.mjs";
import { follow } from "./autorun-run.mjs";

/**
 * `stop-auto-run`, `resume-auto-run`, `skip-auto-run`, `abort-auto-run` (each `-a AGENT`, on the
 * agent's active run) and `reset-auto-run-tasks`. With --json: desktop's `{success:true, …}`.
 * Headless there is no bridge to go on with a resumed run, so resume and skip then drive it here
 * and print its events to its end, as `run-doc` does.
 */

const PROCEDURE = /** @type {const} */ ({
  stop: "autorun.stop",
  resume: "autorun.resume",
  skip: "autorun.skipDocument",
  abort: "autorun.abort",
});
const DONE = /** @type {const} */ ({ stop: "Stopping", resume: "Resumed", skip: "Skipped a document of", abort: "Aborted" });

/**
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {keyof typeof PROCEDURE} verb
 * @param {string} agentRef
 */
export async function control(ctx, verb, agentRef) {
  const client = await ctx.client({ headless: true });
  try {
    const agent = await resolveAgent(client, agentRef);
    const run = await activeRun(client, agent);
    if (client.mode === "headless" && (verb === "resume" || verb === "skip")) {
      await follow(ctx, client, { agentId: agent.id, wait: false, start: () => client.mutate(PROCEDURE[verb], { id: run.id }) });
      return;
    }
    const after = await client.mutate(PROCEDURE[verb], { id: run.id });
    if (ctx.out.json) return ctx.out.data({ success: true, agentId: agent.id, runId: run.id, status: after.status });
    ctx.out.line(`${DONE[verb]} ${run.name} on ${agent.name} (run ${run.id}): now ${after.status}.`);
  } finally {
    await client.close();
  }
}

/**
 * `maestro reset-auto-run-tasks FILE -a AGENT`: desktop's filename rule first (relative, no `..`,
 * no `\`), then the bridge's own confinement.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string} file
 * @param {string} agentRef
 */
export async function resetTasks(ctx, file, agentRef) {
  if (file.startsWith("/") || /^[A-Za-z]:/.test(file) || file.includes("\\") || file.split("/").includes("..")) {
    throw new CliError(
      `${file}: name the document relative to the agent's Auto Run folder (no absolute path, "..", or "\\").`,
      EXIT.USAGE,
      "USAGE",
    );
  }
  const client = await ctx.client({ headless: true });
  try {
    const agent = await resolveAgent(client, agentRef);
    const done = await client.mutate("documents.resetTasks", { agentId: agent.id, path: file });
    if (ctx.out.json) return ctx.out.data({ success: true, agentId: agent.id, document: done.path, reset: done.reset });
    ctx.out.line(`Unticked ${done.reset} task(s) of ${done.path} (${agent.name}).`);
  } finally {
    await client.close();
  }
}
