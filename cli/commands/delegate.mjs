// @ts-check
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveDataDir } from "../target.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * `maestro doctor` / `maestro pair`: run the existing scripts (server/cli/*.ts, the same ones
 * `npm run doctor|pair` runs) under tsx in a child, with the CLI's data dir, and exit as they do.
 * `--import tsx` resolves from `cwd`, the checkout.
 * @param {import("../main.mjs").Ctx} ctx
 * @param {"doctor" | "pair"} script
 * @param {string[]} args
 */
export async function delegate(ctx, script, args) {
  const env = /** @type {NodeJS.ProcessEnv} */ ({ ...process.env, MAESTRO_HOME: resolveDataDir(ctx.opts.dataDir) });
  if (ctx.opts.color === false) env.NO_COLOR = "1";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server", "cli", `${script}.ts`), ...args], {
    cwd: ROOT,
    env,
    stdio: "inherit",
  });
  const code = await new Promise((resolve) => {
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
  process.exitCode = /** @type {number} */ (code);
}
