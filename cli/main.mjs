// @ts-check
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { CliError, EXIT, EXIT_CODES_HELP } from "./exit-codes.mjs";
import { createOutput, reportError } from "./output.mjs";

/** @typedef {import("./output.mjs").GlobalOptions} GlobalOptions */

/**
 * What every command's action gets: the global options, where to print, and the bridge (found
 * lazily, so `completions` or `--help` never touch the network).
 * @typedef {object} Ctx
 * @property {GlobalOptions} opts
 * @property {ReturnType<typeof createOutput>} out
 * @property {() => Promise<import("./target.mjs").Target>} target
 * @property {(options?: import("./client.mjs").ClientOptions) => Promise<import("./client.mjs").Client>} client
 *   the bridge, or headless when allowed and none runs (cli/client.mjs); close it when done
 */

/** @param {string} text */
const examples = (text) => `\nExamples:\n${text.replace(/^/gm, "  $ ")}\n`;

/**
 * Runs a command module's function with a context; modules load only when their command runs,
 * so the start path is commander and this file.
 * @param {Command} cmd
 * @param {(ctx: Ctx) => Promise<void>} fn
 */
async function run(cmd, fn) {
  /** @type {GlobalOptions} */
  const opts = cmd.optsWithGlobals();
  const out = createOutput(opts);
  const target = async () => {
    const found = await (await import("./target.mjs")).resolveTarget(opts);
    out.verbose(
      `${found.mode === "remote" ? "remote bridge" : `bridge for ${found.dataDir}`} at ${found.url} (version ${found.version ?? "?"})`,
    );
    return found;
  };
  const client = async (/** @type {import("./client.mjs").ClientOptions | undefined} */ options) =>
    (await import("./client.mjs")).openClient(opts, out, options);
  await fn({ opts, out, target, client });
}

/** The program tree (no side effects: completions and the help goldens walk it too). */
export function buildProgram() {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const program = new Command("maestro")
    .description("Start Maestro's bridge, and list and inspect its agents from a shell.")
    .version(pkg.version, "-V, --version", "print the version")
    .option("--data-dir <dir>", "the bridge's data dir (default: $MAESTRO_HOME, else ~/.maestro)")
    .option("--url <url>", "a remote bridge's URL (or $MAESTRO_URL); needs --token")
    .option("--token <token>", "the CLI token for --url (or $MAESTRO_TOKEN)")
    .option("--json", "print JSON on stdout (errors too: {success:false, error, code})")
    .option("-q, --quiet", "print no incidental output (errors and --json still print)")
    .option("--verbose", "print diagnostics on stderr")
    .option("--no-color", "no colours (also off when piped or with NO_COLOR)")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      "after",
      `${examples("maestro status\nmaestro list agents --json\nmaestro show agent api --json\nmaestro --url https://host:4280 --token $TOKEN list groups")}\n${EXIT_CODES_HELP}\n`,
    );

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
        const { delegate, startArgs } = await import("./commands/delegate.mjs");
        await delegate(ctx, "start", startArgs(o));
      }),
    );

  program
    .command("status")
    .description("say whether Maestro runs for the data dir: mode, URL, version, number of agents")
    .addHelpText("after", examples("maestro status\nmaestro status --json\nmaestro --data-dir /srv/maestro status"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await import("./commands/status.mjs")).status(ctx)));

  const list = program
    .command("list")
    .description("list agents or groups")
    .addHelpText("after", examples("maestro list agents\nmaestro list groups --json"));
  list
    .command("agents")
    .description("list agents (id, name, provider, status, group, folder)")
    .option("-g, --group <group>", "only this group's agents (id, id prefix or name)")
    .addHelpText("after", examples("maestro list agents\nmaestro list agents --group backend --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await import("./commands/agents.mjs")).listAgents(ctx, o.group)));
  list
    .command("groups")
    .description("list groups with their number of agents")
    .addHelpText("after", examples("maestro list groups\nmaestro list groups --json"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await import("./commands/agents.mjs")).listGroups(ctx)));

  const show = program.command("show").description("show one agent").addHelpText("after", examples("maestro show agent api"));
  show
    .command("agent")
    .description("show an agent and its History (totals, newest entries); name it by id, unique id prefix or name (any case)")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .addHelpText("after", examples("maestro show agent api\nmaestro show agent cm4k2 --json"))
    .action((agent, _o, cmd) => run(cmd, async (ctx) => (await import("./commands/agents.mjs")).showAgent(ctx, agent)));

  program
    .command("completions")
    .description("print a shell completion script (bash, zsh or fish)")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText(
      "after",
      examples(
        "source <(maestro completions bash)          # in ~/.bashrc\nmaestro completions zsh > ~/.zfunc/_maestro   # with fpath+=(~/.zfunc) before compinit\nmaestro completions fish > ~/.config/fish/completions/maestro.fish",
      ),
    )
    .action((shell, _o, cmd) =>
      run(cmd, async (ctx) => ctx.out.line((await import("./completions.mjs")).completionScript(buildProgram(), shell).trimEnd())),
    );

  program
    .command("doctor")
    .description("check which agent CLIs are installed (runs `npm run doctor`)")
    .addHelpText("after", examples("maestro doctor"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await import("./commands/delegate.mjs")).delegate(ctx, "doctor", [])));

  program
    .command("pair")
    .description("print a one-time pairing link and QR code for a phone (runs `npm run pair`)")
    .option("--no-qr", "print the link without the QR code")
    .addHelpText("after", examples("maestro pair\nmaestro pair --no-qr"))
    .action((o, cmd) =>
      run(cmd, async (ctx) => (await import("./commands/delegate.mjs")).delegate(ctx, "pair", o.qr === false ? ["--no-qr"] : [])),
    );

  return program;
}

/** Commander's own outcomes that are not errors. */
const CLEAN_EXITS = new Set(["commander.helpDisplayed", "commander.version"]);

/**
 * Parses argv and runs the command; sets process.exitCode (never calls process.exit, so
 * stdout drains when piped).
 * @param {string[]} argv process.argv
 */
export async function main(argv) {
  // `maestro list agents | head -1`: the reader left, so there is nobody to print to; end quietly.
  process.stdout.on("error", (err) => {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === "EPIPE") process.exit(EXIT.OK);
    throw err;
  });
  const program = buildProgram();
  const wantsJson = argv.includes("--json");
  program.exitOverride();
  // Usage errors are reported below as one `maestro:` line (or JSON), with exit code 2.
  program.configureOutput({ outputError: () => {} });
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: () => {} });
  }
  try {
    await program.parseAsync(argv, { from: "node" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (CLEAN_EXITS.has(err.code)) return;
      // `maestro help` asked for it (exit 0); a bare group command (`maestro list`) printed its
      // help on stderr instead of running anything: a usage error.
      if (err.code === "commander.help") {
        process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
        return;
      }
      const message = err.message.replace(/^error:\s*/, "");
      process.exitCode = reportError(new CliError(message, EXIT.USAGE, "USAGE"), { json: wantsJson });
      return;
    }
    process.exitCode = reportError(err, { json: wantsJson });
  }
}

/**
 * @param {Command} cmd
 * @returns {Command[]}
 */
export function allCommands(cmd) {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}
