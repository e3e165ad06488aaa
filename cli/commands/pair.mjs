// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";

/**
 * `maestro pair --cli [--name N]`: a revocable CLI token for `--url/--token` on another machine.
 * A running bridge mints it (devices.createCliToken); with none, the pair script does, in the
 * database under the data-dir lock. The token goes to stdout alone (even under -q), so
 * `TOKEN=$(maestro pair --cli)` works; the explanation goes to stderr.
 * @param {import("../main.mjs").Ctx} ctx
 * @param {string | undefined} name
 */
export async function pairCli(ctx, name) {
  const { resolveTarget } = await import("../target.mjs");
  /** @type {{ id: string, name: string, token: string }} */
  let minted;
  /** @type {string | null} */
  let url = null;
  /** @type {import("../target.mjs").Target | null} */
  let target = null;
  try {
    // This data dir's bridge only: an exported MAESTRO_URL names some other machine's.
    target = await resolveTarget(ctx.opts, { ...process.env, MAESTRO_URL: undefined, MAESTRO_TOKEN: undefined });
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.UNREACHABLE) throw err;
  }
  if (target) {
    const { callProcedure } = await import("../trpc-http.mjs");
    minted = await callProcedure(target, "mutation", "devices.createCliToken", name === undefined ? {} : { name });
    url = target.url;
  } else {
    ctx.out.verbose("no bridge runs for the data dir: minting in the database under its lock");
    const { runScript } = await import("./delegate.mjs");
    const r = await runScript(ctx, "pair", ["--cli", ...(name === undefined ? [] : ["--name", name])]);
    if (r.code !== 0) {
      const line =
        r.stderr
          .trim()
          .split("\n")
          .at(-1)
          ?.replace(/^maestro pair:\s*/, "") ?? "";
      throw new CliError(line || `the pair script failed (exit ${r.code}).`, r.code === 2 ? EXIT.USAGE : EXIT.FAILED);
    }
    minted = JSON.parse(r.stdout);
  }
  if (ctx.out.json) return ctx.out.data({ ...minted, url });
  ctx.out.result(minted.token);
  ctx.out.note(`A CLI token "${minted.name}" for another machine: shown only now. Settings → Devices lists it; revoke it there.`);
  const where = url ? new URL(url) : null;
  const there = where && !/^(127\.|localhost$|\[::1\]$)/.test(where.hostname) ? url : `http://<this machine>:${where?.port || 4280}`;
  ctx.out.note(`Use it there: maestro --url ${there} --token <the token above> status`);
}
