// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { oneLine, withClient } from "./data.mjs";
import { projectAgent } from "./mission-find.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/** @typedef {import("../../lib/missions/types").MemoryView} MemoryView */

/**
 * `maestro memory-correct TEXT` / `maestro memory-learn TEXT`
 * @param {Ctx} ctx @param {"correction" | "learning"} kind @param {string | undefined} text @param {{ content?: string, agent?: string }} o
 */
export async function memoryAdd(ctx, kind, text, o) {
  const body = (text ?? o.content ?? "").trim();
  if (!body)
    throw new CliError(`write the ${kind}: maestro memory-${kind === "correction" ? "correct" : "learn"} "…"`, EXIT.USAGE, "USAGE");
  await withClient(ctx, true, async (client) => {
    const agent = await projectAgent(client, o.agent);
    /** @type {MemoryView} */
    const m = await client.mutate("memory.add", { agentId: agent.id, kind, text: body });
    if (ctx.out.json) return ctx.out.data(m);
    ctx.out.line(
      `[ok] ${kind === "correction" ? "Correction captured" : "Learning captured"}\n  ID: ${m.id}\n  ${kind === "correction" ? "Rule" : "Content"}: ${oneLine(m.text, 100)}`,
    );
  });
}

/**
 * `maestro memory-compile [--summary TEXT]`
 * @param {Ctx} ctx @param {{ agent?: string, summary?: string }} o
 */
export async function memoryCompile(ctx, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await projectAgent(client, o.agent);
    if (o.summary?.trim()) await client.mutate("memory.add", { agentId: agent.id, kind: "learning", text: o.summary.trim() });
    /** @type {{ guidance: string }} */
    const r = await client.query("memory.compile", { agentId: agent.id });
    if (ctx.out.json) return ctx.out.data(r);
    ctx.out.result(r.guidance.trim() || "No memory yet: nothing to compile.");
  });
}

/**
 * `maestro memory-list`
 * @param {Ctx} ctx @param {{ agent?: string }} o
 */
export async function memoryList(ctx, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await projectAgent(client, o.agent);
    /** @type {MemoryView[]} */
    const list = await client.query("memory.list", { agentId: agent.id });
    if (ctx.out.json) return ctx.out.data(list);
    if (list.length === 0) return ctx.out.line("No memory yet.");
    ctx.out.result(
      table(
        ["ID", "KIND", "CREATED", "TEXT"],
        list.map((m) => [m.id, m.kind, m.createdAt, oneLine(m.text, 80)]),
      ),
    );
  });
}

/**
 * `maestro memory-remove ID`
 * @param {Ctx} ctx @param {string} id
 */
export async function memoryRemove(ctx, id) {
  await withClient(ctx, true, async (client) => {
    await client.mutate("memory.remove", { id });
    if (ctx.out.json) return ctx.out.data({ success: true, id });
    ctx.out.line(`[ok] Forgot ${id}`);
  });
}
