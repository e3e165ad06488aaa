// @ts-check
import { Argument } from "commander";
import { CliError, EXIT } from "../exit-codes.mjs";
import { examples, run } from "./define.mjs";

/**
 * The bridge's own commands: start it, say whether it runs, pair a phone, check the CLIs,
 * and the shell completions.
 * @param {import("commander").Command} program
 * @param {() => import("commander").Command} buildProgram the whole tree (completions walk it)
 */
export function registerCore(program, buildProgram) {
  program
    .command("start")
    .description("start the bridge for the data dir (what `npm start` runs); stop it with Ctrl-C")
    .option("--host <addr>", "listen address (default: $MAESTRO_HOST, else 127.0.0.1)")
    .option("--port <n>", "port (default: $MAESTRO_PORT, else 4280; 0 picks a free one)")
    .option("--dev", "Next dev mode (hot reload)")
    .option("--no-qr", "no pairing QR code in the terminal")
    .option("--tunnel", "start the Cloudflare tunnel too")
    .addHelpText(
      "after",
      examples("maestro start\nmaestro start --host 0.0.0.0 --port 4280\nmaestro --data-dir /srv/maestro start --no-qr"),
    )
    .action((o, cmd) =>
      run(cmd, async (ctx) => {
        localOnly(ctx, "start");
        const { delegate, startArgs } = await import("../commands/delegate.mjs");
        await delegate(ctx, "start", startArgs(o));
      }),
    );

  program
    .command("status")
    .description("say whether Maestro runs for the data dir: mode, URL, version, number of agents")
    .addHelpText("after", examples("maestro status\nmaestro status --json\nmaestro --data-dir /srv/maestro status"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await import("../commands/status.mjs")).status(ctx)));

  program
    .command("completions")
    .description("print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .addHelpText(
      "after",
      examples(
        "source <(maestro completions bash)          # in ~/.bashrc\nmaestro completions zsh > ~/.zfunc/_maestro   # with fpath+=(~/.zfunc) before compinit\nmaestro completions fish > ~/.config/fish/completions/maestro.fish",
      ),
    )
    .action((shell, _o, cmd) =>
      run(cmd, async (ctx) => ctx.out.result((await import("../completions.mjs")).completionScript(buildProgram(), shell).trimEnd())),
    );

  program
    .command("doctor")
    .description(
      "check the data dir, lock, bridge, version skew and CLI token, and which agent CLIs are installed (exit 1 when a check fails)",
    )
    .addHelpText("after", examples("maestro doctor\nmaestro doctor --json"))
    .action((_o, cmd) =>
      run(cmd, async (ctx) => {
        localOnly(ctx, "doctor");
        await (await import("../commands/delegate.mjs")).delegate(ctx, "doctor", ctx.opts.json ? ["--json"] : []);
      }),
    );

  program
    .command("pair")
    .description("print a one-time pairing link and QR code for a phone, or with --cli a token for the CLI on another machine")
    .option("--no-qr", "print the link without the QR code")
    .option("--cli", "mint a revocable CLI token for --url/--token elsewhere, printed once (Settings → Devices lists it)")
    .option("--name <name>", "with --cli: its name in Settings → Devices (default: Remote CLI)")
    .addHelpText(
      "after",
      examples("maestro pair\nmaestro pair --no-qr\nmaestro pair --cli --name ci-runner\nTOKEN=$(maestro pair --cli --name laptop)"),
    )
    .action((o, cmd) =>
      run(cmd, async (ctx) => {
        localOnly(ctx, "pair");
        if (o.name !== undefined && !o.cli) throw new CliError("--name goes with --cli.", EXIT.USAGE, "USAGE");
        if (o.cli) return (await import("../commands/pair.mjs")).pairCli(ctx, o.name);
        await (await import("../commands/delegate.mjs")).delegate(ctx, "pair", o.qr === false ? ["--no-qr"] : []);
      }),
    );
}

/**
 * start, pair and doctor work on this machine's data dir: --url would be silently ignored.
 * @param {import("./define.mjs").Ctx} ctx
 * @param {string} command
 */
function localOnly(ctx, command) {
  if (ctx.opts.url) {
    throw new CliError(`\`maestro ${command}\` works on this machine's data dir only: drop --url (use --data-dir).`, EXIT.USAGE, "USAGE");
  }
}
