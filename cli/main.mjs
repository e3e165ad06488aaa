// @ts-check
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { CliError, EXIT, EXIT_CODES_HELP } from "./exit-codes.mjs";
import { reportError } from "./output.mjs";
import { registerAgents } from "./program/agents.mjs";
import { registerAutorun } from "./program/autorun.mjs";
import { registerConversation } from "./program/conversation.mjs";
import { registerCore } from "./program/core.mjs";
import { registerGroupchat } from "./program/groupchat.mjs";
import { registerHandoffs } from "./program/handoffs.mjs";
import { registerMissions } from "./program/missions.mjs";
import { registerOps } from "./program/ops.mjs";
import { examples } from "./program/define.mjs";

/** @typedef {import("./program/define.mjs").Ctx} Ctx */

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

  registerCore(program, buildProgram);
  const parents = registerAgents(program);
  registerAutorun(program, parents);
  registerConversation(program, parents);
  registerOps(program, parents);
  registerGroupchat(program);
  registerMissions(program);
  registerHandoffs(program);
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
  // Only options before `--` count: after it, `--json` is an argument (a message, a name).
  const end = argv.indexOf("--");
  const wantsJson = (end < 0 ? argv : argv.slice(0, end)).includes("--json");
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
        // --json promises errors as JSON too: say on stdout what is missing.
        if (err.exitCode !== 0 && wantsJson) {
          reportError(new CliError("name a command (its help is on stderr).", EXIT.USAGE, "USAGE"), { json: true });
        }
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
