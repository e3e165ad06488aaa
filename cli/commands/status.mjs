// @ts-check
import { callProcedure } from "../trpc-http.mjs";

/** `maestro status`: which bridge the CLI would use, and how many agents it has. @param {import("../main.mjs").Ctx} ctx */
export async function status(ctx) {
  const target = await ctx.target();
  /** @type {unknown[]} */
  const agents = await callProcedure(target, "query", "agents.list");
  const result = {
    running: true,
    mode: target.mode,
    url: target.url,
    version: target.version,
    dataDir: target.dataDir,
    agents: agents.length,
  };
  if (ctx.out.json) return ctx.out.data(result);
  const { green, bold } = ctx.out.colors;
  const where = target.dataDir ? ` for ${target.dataDir}` : "";
  const version = target.version ? ` ${target.version}` : "";
  const plural = agents.length === 1 ? "" : "s";
  ctx.out.result(`${green("●")} Maestro${version} is running at ${bold(target.url)}${where} with ${agents.length} agent${plural}.`);
}
