// @ts-check
import { examples, run } from "./define.mjs";

const AGENT_HELP = "the project agent (id, unique id prefix or name; default: $MAESTRO_AGENT_ID inside an agent)";

/**
 * Handoffs between agent sessions (the reference CLI's, with its UKI v5.4 string) and a project's
 * memory: `handoff create|list|show|pickup|claim|complete|import`, `memory-correct`,
 * `memory-learn`, `memory-compile`, `memory-list`, `memory-remove`.
 * @param {import("commander").Command} program
 */
export function registerHandoffs(program) {
  const cmds = async () => import("../commands/handoff.mjs");
  const handoff = program
    .command("handoff")
    .description("handoffs between agent sessions (structured fields and a UKI v5.4 string)")
    .addHelpText(
      "after",
      examples(
        'maestro handoff create --mission 2026-04-17-001 --feature auth-impl --summary "Login form done" --next-action review --confidence-work 0.9\nmaestro handoff pickup --paste',
      ),
    );
  const list = (/** @type {string} */ d) => `${d} (repeatable; each value one item)`;
  handoff
    .command("create")
    .description("create a handoff (inside a mission worker: --mission and --feature)")
    .option("--mission <mission>", "the mission it belongs to (its id or .maestro id)")
    .option("--mission-id <mission>", "the same as --mission (the reference's spelling)")
    .option("--feature <feature>", "the feature it is about")
    .option("--feature-id <feature>", "the same as --feature (the reference's spelling)")
    .option("--milestone-id <milestone>", "the milestone it is about")
    .option("--plan-ref <ref>", "a plan reference")
    .option("--spec-ref <ref>", "a spec reference")
    .option("--agent <agent>", `${AGENT_HELP}; not needed with --mission`)
    .option("--mode <mode>", "plan or execute (default execute)")
    .option("--session-core <text>", "what the session was about (default: the feature, else the summary)")
    .option("--current-state <text>", "default plan_ready / execute_in_progress")
    .option("--summary <text>", "one line: what was done")
    .option("--next-action <text>", "what should happen next")
    .option("--decision <text...>", list("a decision taken"))
    .option("--signal <text...>", list("a signal change"))
    .option("--artifact <text...>", list("an artifact (default: the touched files)"))
    .option("--read-more <text...>", list("something to read first (default: the first artifacts)"))
    .option("--risk <text...>", list("a risk"))
    .option("--driver <text...>", list("a causal driver"))
    .option("--divergence <text...>", list("a divergence from the plan"))
    .option("--boundary <text...>", list("a boundary state"))
    .option("--plan-path-item <text...>", list("a plan path (plan mode)"))
    .option("--maestro-sync <text...>", list("a sync item (plan mode)"))
    .option("--touched-file <text...>", list("a file changed (execute mode)"))
    .option("--completed <text...>", list("completed work (execute mode)"))
    .option("--validation <text...>", list("a check that passed (execute mode)"))
    .option("--assumption <text...>", list("an assumption"))
    .option("--blind-spot <text>", "what may have been missed")
    .option("--metaphor <text>", "a one-phrase picture of the state")
    .option("--confidence-work <n>", "confidence in the work, e.g. 0.9")
    .option("--confidence-summary <n>", "confidence in the summary")
    .option("--uki", "print only the UKI string")
    .option("--paste", "print the paste preamble and the UKI string")
    .addHelpText(
      "after",
      examples(
        'maestro handoff create --mission 2026-04-17-001 --feature auth-impl --summary "Login form done" --next-action review --completed login_form --validation tests_green --confidence-work 0.9\nmaestro handoff create --agent api --mode plan --session-core plan_auth --summary "Plan drafted" --next-action approve --confidence-summary 0.7 --uki',
      ),
    )
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffCreate(ctx, o)));
  handoff
    .command("list")
    .description("list handoffs, newest first: id, status, mode, summary")
    .option("--agent <agent>", "only this project's handoffs")
    .option("--mission <mission>", "only this mission's handoffs")
    .option("--status <status>", "pending, picked-up or completed")
    .addHelpText("after", examples("maestro handoff list\nmaestro handoff list --status pending --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffList(ctx, o)));
  handoff
    .command("show")
    .description("print a handoff without picking it up (default: its UKI string)")
    .argument("<handoff>", "the handoff's id")
    .option("--paste", "the paste preamble and the UKI string")
    .addHelpText("after", examples("maestro handoff show 2026-04-17-001\nmaestro handoff show 2026-04-17-001 --json"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffShow(ctx, id, o)));
  handoff
    .command("pickup")
    .description("pick up a handoff (default: the newest pending one) and print its UKI string")
    .argument("[handoff]", "the handoff's id")
    .option("--id <handoff>", "the same as the argument (the reference's spelling)")
    .option("--claim", "claim it for --agent")
    .option("--agent <name>", "who claims it (default: $MAESTRO_AGENT_ID)")
    .option("--paste", "print the paste preamble and the UKI string")
    .addHelpText(
      "after",
      examples(
        "maestro handoff pickup\nmaestro handoff pickup 2026-04-17-001 --paste\nmaestro handoff pickup --claim --agent codex-cli --json",
      ),
    )
    .action((id, o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffPickup(ctx, id, o)));
  handoff
    .command("claim")
    .description("claim a handoff for an agent")
    .argument("<handoff>", "the handoff's id")
    .requiredOption("--agent <name>", "who claims it")
    .addHelpText("after", examples("maestro handoff claim 2026-04-17-001 --agent web"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffSet(ctx, "claim", id, o)));
  handoff
    .command("complete")
    .description("mark a picked-up handoff completed")
    .argument("<handoff>", "the handoff's id")
    .addHelpText("after", examples("maestro handoff complete 2026-04-17-001"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffSet(ctx, "complete", id, o)));
  handoff
    .command("import")
    .description("store a handoff given as a UKI string (made by the reference CLI or by Maestro)")
    .argument("<uki>", "the UKI string (- reads stdin; a paste preamble before it is fine)")
    .option("--agent <agent>", AGENT_HELP)
    .option("--mission <mission>", "the mission it belongs to")
    .addHelpText(
      "after",
      examples(
        "maestro handoff import 'MODE-execute|CURRENT_STATE-…|SUMMARY-Done' --agent api\npbpaste | maestro handoff import - --agent api --json",
      ),
    )
    .action((uki, o, cmd) => run(cmd, async (ctx) => (await cmds()).handoffImport(ctx, uki, o)));

  const memory = async () => import("../commands/memory.mjs");
  for (const [name, kind, description] of /** @type {const} */ ([
    ["memory-correct", "correction", "remember a correction: a rule every later worker of the project follows"],
    ["memory-learn", "learning", "remember a learning: an insight later workers of the project are given"],
  ])) {
    program
      .command(name)
      .description(description)
      .argument("[text]", "the text")
      .option("--content <text>", "the same as the argument (the reference's spelling)")
      .option("--agent <agent>", AGENT_HELP)
      .addHelpText(
        "after",
        examples(
          `maestro ${name} "${kind === "correction" ? "use npm ci, never npm install" : "the auth tests need the fake clock"}" --agent api`,
        ),
      )
      .action((text, o, cmd) => run(cmd, async (ctx) => (await memory()).memoryAdd(ctx, kind, text, o)));
  }
  program
    .command("memory-compile")
    .description("print the guidance compiled from the project's memory (what every worker prompt carries)")
    .option("--agent <agent>", AGENT_HELP)
    .option("--summary <text>", "first remember this text as a learning (the reference's compiled summary)")
    .addHelpText("after", examples("maestro memory-compile --agent api\nmaestro memory-compile --agent api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await memory()).memoryCompile(ctx, o)));
  program
    .command("memory-list")
    .description("list the project's corrections and learnings")
    .option("--agent <agent>", AGENT_HELP)
    .addHelpText("after", examples("maestro memory-list --agent api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await memory()).memoryList(ctx, o)));
  program
    .command("memory-remove")
    .description("forget a correction or learning")
    .argument("<id>", "its id (memory-list shows them)")
    .addHelpText("after", examples("maestro memory-remove cm4kmem0"))
    .action((id, _o, cmd) => run(cmd, async (ctx) => (await memory()).memoryRemove(ctx, id)));
}
