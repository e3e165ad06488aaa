// @ts-check
import { examples, run } from "./define.mjs";

const cmds = () => import("../commands/autorun-run.mjs");
const controls = () => import("../commands/autorun-control.mjs");
const listings = () => import("../commands/autorun-list.mjs");

/**
 * Auto Run from the shell, named as desktop maestro-cli names it: run documents or a playbook
 * (JSONL with --json), control an agent's active run, reset a document, and list/show playbooks
 * and runs. Each works against the bridge, or headless when none runs for the data dir.
 * @param {import("commander").Command} program
 * @param {{ list: import("commander").Command, show: import("commander").Command }} parents
 */
export function registerAutorun(program, { list, show }) {
  program
    .command("run-doc")
    .description("run Auto Run documents on an agent now (named relative to its Auto Run folder, or a path inside it)")
    .argument("<docs...>", "the documents, in run order (.md optional)")
    .requiredOption("-a, --agent <agent>", "the agent (id, unique id prefix, or name)")
    .option("--loop", "loop over the documents until a pass ticks nothing (or --max-loops)")
    .option("--max-loops <n>", "at most N loops (implies --loop)")
    .option("--reset-on-completion", "work on a fresh copy of each document every loop (the original stays unticked)")
    .option("--prompt <file>", "the prompt template, read from FILE (default: the built-in one)")
    .option("--dry-run", "print what would run (desktop's dry-run lines with --json); start nothing")
    .option("--wait", "if the agent has an active run, wait until it is free")
    .addHelpText(
      "after",
      examples(
        "maestro run-doc plan.md -a api\nmaestro run-doc 1_ANALYZE 2_BUILD -a api --json\nmaestro run-doc daily.md -a api --loop --max-loops 3 --reset-on-completion\nmaestro run-doc plan.md -a api --dry-run --json",
      ),
    )
    .action((docs, o, cmd) => run(cmd, async (ctx) => (await cmds()).runDoc(ctx, docs, o)));

  const playbook = program
    .command("playbook")
    .description("run, import or export a playbook")
    .addHelpText("after", examples("maestro playbook run nightly --json\nmaestro playbook import nightly.json -a api"));
  playbook
    .command("run")
    .description("run a playbook on its agent")
    .argument("<playbook>", "the playbook (id, unique id prefix, or name)")
    .option("--dry-run", "print what would run (desktop's dry-run lines with --json); start nothing")
    .option("--wait", "if the agent has an active run, wait until it is free")
    .addHelpText(
      "after",
      examples("maestro playbook run nightly\nmaestro playbook run cm4p9 --json --wait\nmaestro playbook run nightly --dry-run"),
    )
    .action((ref, o, cmd) => run(cmd, async (ctx) => (await cmds()).runPlaybook(ctx, ref, o)));
  playbook
    .command("import")
    .description("import a playbook (desktop's JSON, or a .maestro-playbook.zip with its documents) for an agent")
    .argument("<file>", "a .json playbook or manifest, or a .zip bundle")
    .requiredOption("-a, --agent <agent>", "the agent it is for (id, unique id prefix, or name)")
    .option("--name <name>", "its name (default: the file's)")
    .option("--overwrite", "a zip may replace documents of the Auto Run folder that differ")
    .option("--pick <key>", "from a manifest of several playbooks, the one with this id (an error lists them)")
    .addHelpText(
      "after",
      examples("maestro playbook import nightly.json -a api\nmaestro playbook import nightly.maestro-playbook.zip -a api --json"),
    )
    .action((file, o, cmd) => run(cmd, async (ctx) => (await listings()).importPlaybook(ctx, file, o)));
  playbook
    .command("export")
    .description("export a playbook as desktop's JSON (stdout or -o FILE), or a zip with its documents (-o FILE.zip)")
    .argument("<playbook>", "the playbook (id, unique id prefix, or name)")
    .option("-o, --output <file>", "write to FILE (.zip: the bundle with its documents); refuses to replace a file")
    .addHelpText(
      "after",
      examples("maestro playbook export nightly > nightly.json\nmaestro playbook export nightly -o nightly.maestro-playbook.zip"),
    )
    .action((ref, o, cmd) => run(cmd, async (ctx) => (await listings()).exportPlaybook(ctx, ref, o)));

  /** @type {[string, "stop" | "resume" | "skip" | "abort", string][]} */
  const verbs = [
    ["stop-auto-run", "stop", "stop the agent's active run after its current task"],
    ["resume-auto-run", "resume", "resume the agent's paused run"],
    ["skip-auto-run", "skip", "skip the document the agent's paused run waits at, and go on"],
    ["abort-auto-run", "abort", "abort the agent's active run now (its current task is stopped)"],
  ];
  for (const [name, verb, description] of verbs) {
    program
      .command(name)
      .description(description)
      .requiredOption("-a, --agent <agent>", "the agent (id, unique id prefix, or name)")
      .addHelpText("after", examples(`maestro ${name} -a api\nmaestro ${name} -a api --json`))
      .action((o, cmd) => run(cmd, async (ctx) => (await controls()).control(ctx, verb, o.agent)));
  }
  program
    .command("reset-auto-run-tasks")
    .description("untick every task of a document in the agent's Auto Run folder")
    .argument("<file>", "the document, relative to the Auto Run folder (.md optional)")
    .requiredOption("-a, --agent <agent>", "the agent (id, unique id prefix, or name)")
    .addHelpText("after", examples("maestro reset-auto-run-tasks daily.md -a api"))
    .action((file, o, cmd) => run(cmd, async (ctx) => (await controls()).resetTasks(ctx, file, o.agent)));

  list
    .command("playbooks")
    .description("list playbooks (id, name, agent, documents)")
    .option("-a, --agent <agent>", "only this agent's")
    .addHelpText("after", examples("maestro list playbooks\nmaestro list playbooks -a api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await listings()).listPlaybooks(ctx, o.agent)));
  list
    .command("runs")
    .description("list Auto Run runs, newest first (id, status, agent, tasks, cost)")
    .option("-a, --agent <agent>", "only this agent's")
    .option("--active", "only running, paused or stopping runs")
    .addHelpText("after", examples("maestro list runs\nmaestro list runs -a api --active --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await listings()).listRuns(ctx, o)));
  show
    .command("playbook")
    .description("show a playbook: its documents with their task counts, loop settings and prompt")
    .argument("<playbook>", "the playbook (id, unique id prefix, or name)")
    .addHelpText("after", examples("maestro show playbook nightly\nmaestro show playbook cm4p9 --json"))
    .action((ref, _o, cmd) => run(cmd, async (ctx) => (await listings()).showPlaybook(ctx, ref)));
  show
    .command("run")
    .description("show a run: status, documents' progress, tasks and totals")
    .argument("<run>", "the run (id or unique id prefix)")
    .addHelpText("after", examples("maestro show run cm4r1\nmaestro show run cm4r1 --json"))
    .action((ref, _o, cmd) => run(cmd, async (ctx) => (await listings()).showRun(ctx, ref)));
}
