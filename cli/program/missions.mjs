// @ts-check
import { examples, run } from "./define.mjs";

const AGENT_HELP = "the project agent (id, unique id prefix or name; default: $MAESTRO_AGENT_ID inside an agent)";
const MISSION_HELP = "the mission: its id, its .maestro id (2026-04-17-001) or a unique id prefix";

/**
 * Missions (the reference CLI's commands, ReinaMacCredy/maestro v0.40.6): `init`, `mission`,
 * `feature`, `validate`, `milestone`, `checkpoint`, `mission-control`. Where it names the mission
 * with `--mission`, that works too.
 * @param {import("commander").Command} program
 */
export function registerMissions(program) {
  const cmds = async () => import("../commands/mission.mjs");
  const more = async () => import("../commands/mission-parts.mjs");
  program
    .command("init")
    .description("create the project's .maestro/ folder (handoffs, skills, config.yaml) in the agent's folder")
    .option("--agent <agent>", AGENT_HELP)
    .addHelpText("after", examples("maestro init --agent api\nmaestro init --agent api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).init(ctx, o)));

  const mission = program
    .command("mission")
    .description("missions: plans of milestones and features that agents carry out in parallel")
    .addHelpText(
      "after",
      examples("maestro mission create --file plan.json --agent api\nmaestro mission list\nmaestro mission approve 2026-04-17-001"),
    );
  mission
    .command("create")
    .description("create a draft mission from a plan file (JSON: title, milestones, features)")
    .requiredOption("--file <path>", "the plan file (- reads stdin)")
    .option("--agent <agent>", AGENT_HELP)
    .option("--concurrency <n>", "how many features may run at once (default 3)")
    .option("--policy <policy>", "when a feature fails: continue (independent work goes on) or stop")
    .option("--finish <mode>", "at completion: pr, merge or none")
    .addHelpText(
      "after",
      examples("maestro mission create --file plan.json --agent api\ncat plan.json | maestro mission create --file - --json"),
    )
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).missionCreate(ctx, o)));
  mission
    .command("list")
    .description("list missions: id, status, progress, title")
    .option("--agent <agent>", "only this project agent's missions")
    .option("--status <status>", "only missions with this status")
    .addHelpText("after", examples("maestro mission list\nmaestro mission list --status executing --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).missionList(ctx, o)));
  mission
    .command("show")
    .description("a mission's milestones, features and assertions")
    .argument("<mission>", MISSION_HELP)
    .addHelpText("after", examples("maestro mission show 2026-04-17-001\nmaestro mission show 2026-04-17-001 --json"))
    .action((id, _o, cmd) => run(cmd, async (ctx) => (await cmds()).missionShow(ctx, id)));
  for (const [name, description] of /** @type {const} */ ([
    ["approve", "approve a draft mission: it starts running its ready features"],
    ["pause", "pause a mission: no new features start, running workers stop"],
    ["resume", "resume a paused mission"],
  ])) {
    mission
      .command(name)
      .description(description)
      .argument("<mission>", MISSION_HELP)
      .addHelpText("after", examples(`maestro mission ${name} 2026-04-17-001`))
      .action((id, _o, cmd) => run(cmd, async (ctx) => (await cmds()).missionAction(ctx, name, id)));
  }
  mission
    .command("import")
    .description("import the missions of the project's .maestro/ (made by the reference CLI or by Maestro)")
    .option("--agent <agent>", AGENT_HELP)
    .option("--id <refId>", "only this mission (its folder under .maestro/missions/)")
    .addHelpText("after", examples("maestro mission import --agent api\nmaestro mission import --agent api --id 2026-04-17-001 --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await cmds()).missionImport(ctx, o)));

  const feature = program
    .command("feature")
    .description("a mission's features")
    .addHelpText("after", examples("maestro feature list 2026-04-17-001\nmaestro feature prompt 2026-04-17-001 auth-impl"));
  feature
    .command("list")
    .description("list a mission's features: id, status, title, milestone")
    .argument("[mission]", MISSION_HELP)
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .option("--status <status>", "only features with this status")
    .addHelpText("after", examples("maestro feature list 2026-04-17-001\nmaestro feature list --mission 2026-04-17-001 --json"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await cmds()).featureList(ctx, id, o)));
  feature
    .command("prompt")
    .description("print the worker prompt of a feature (also in .maestro/missions/<id>/workers/<feature>/prompt.md)")
    .argument("<mission-or-feature>", "the mission, then the feature (or only the feature, with --mission)")
    .argument("[feature]", "the feature's id in the plan")
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .option("--out <path>", "also write the prompt to this file")
    .addHelpText(
      "after",
      examples(
        "maestro feature prompt 2026-04-17-001 auth-impl\nmaestro feature prompt auth-impl --mission 2026-04-17-001 --out prompt.md",
      ),
    )
    .action((a, b, o, cmd) => run(cmd, async (ctx) => (await more()).featurePrompt(ctx, a, b, o)));
  feature
    .command("update")
    .description("set a feature's status by hand (pending, in-progress, review, done, failed, blocked, skipped)")
    .argument("<mission-or-feature>", "the mission, then the feature (or only the feature, with --mission)")
    .argument("[feature]", "the feature's id in the plan")
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .requiredOption("--status <status>", "the new status")
    .option("--note <text>", "why (shown with the status)")
    .addHelpText(
      "after",
      examples(
        "maestro feature update 2026-04-17-001 auth-impl --status review\nmaestro feature update auth-impl --mission 2026-04-17-001 --status done",
      ),
    )
    .action((a, b, o, cmd) => run(cmd, async (ctx) => (await more()).featureUpdate(ctx, a, b, o)));
  for (const [name, description] of /** @type {const} */ ([
    ["retry", "run a failed (or blocked) feature again; its dependents are unblocked"],
    ["skip", "count a failed feature as skipped: its dependents may run"],
  ])) {
    feature
      .command(name)
      .description(description)
      .argument("<mission>", MISSION_HELP)
      .argument("<feature>", "the feature's id in the plan")
      .addHelpText("after", examples(`maestro feature ${name} 2026-04-17-001 auth-impl`))
      .action((m, f, _o, cmd) => run(cmd, async (ctx) => (await more()).featureAction(ctx, name, m, f)));
  }

  const validate = program
    .command("validate")
    .description("a mission's assertions (the `fulfills` of its features)")
    .addHelpText(
      "after",
      examples(
        "maestro validate show 2026-04-17-001\nmaestro validate update 2026-04-17-001 auth-login-works --status passed --evidence ok",
      ),
    );
  validate
    .command("show")
    .description("list a mission's assertions: id, status, evidence, features")
    .argument("[mission]", MISSION_HELP)
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .addHelpText("after", examples("maestro validate show 2026-04-17-001\nmaestro validate show --mission 2026-04-17-001 --json"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await more()).validateShow(ctx, id, o)));
  validate
    .command("update")
    .description("set an assertion's status with evidence (named by its fulfills string or <feature>-assertion-<n>)")
    .argument("<mission-or-assertion>", "the mission, then the assertion (or only the assertion, with --mission)")
    .argument("[assertion]", "the assertion")
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .option("--status <status>", "pending, passed, failed, blocked or waived")
    .option("--result <status>", "the same as --status (the reference's spelling)")
    .option("--evidence <text>", "what shows it (command output, a link)")
    .option("--reason <text>", "why it is waived (stored as its evidence)")
    .option("--by <who>", "who sets it (default: user)")
    .addHelpText(
      "after",
      examples(
        'maestro validate update 2026-04-17-001 auth-login-works --status passed --evidence "npm test: 12 passed"\nmaestro validate update auth-impl-assertion-1 --mission 2026-04-17-001 --result waived --reason "covered by e2e"',
      ),
    )
    .action((a, b, o, cmd) => run(cmd, async (ctx) => (await more()).validateUpdate(ctx, a, b, o)));

  const milestone = program
    .command("milestone")
    .description("a mission's milestones")
    .addHelpText("after", examples("maestro milestone seal 2026-04-17-001 review"));
  milestone
    .command("seal")
    .description("seal a milestone (a validation gate waiting for review, or one whose work is done)")
    .argument("<mission-or-milestone>", "the mission, then the milestone (or only the milestone, with --mission)")
    .argument("[milestone]", "the milestone's id in the plan")
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .addHelpText(
      "after",
      examples("maestro milestone seal 2026-04-17-001 review\nmaestro milestone seal implement --mission 2026-04-17-001"),
    )
    .action((a, b, o, cmd) => run(cmd, async (ctx) => (await more()).milestoneSeal(ctx, a, b, o)));

  const checkpoint = program
    .command("checkpoint")
    .description("snapshots of a mission's statuses, restorable")
    .addHelpText(
      "after",
      examples("maestro checkpoint save 2026-04-17-001\nmaestro checkpoint list 2026-04-17-001\nmaestro checkpoint restore 2026-04-17-001"),
    );
  checkpoint
    .command("save")
    .description("save a checkpoint of a mission")
    .argument("[mission]", MISSION_HELP)
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .option("--label <text>", "a label for it")
    .addHelpText("after", examples('maestro checkpoint save 2026-04-17-001 --label "before review"'))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await more()).checkpointSave(ctx, id, o)));
  checkpoint
    .command("list")
    .description("list a mission's checkpoints, newest first")
    .argument("[mission]", MISSION_HELP)
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .addHelpText("after", examples("maestro checkpoint list 2026-04-17-001 --json"))
    .action((id, o, cmd) => run(cmd, async (ctx) => (await more()).checkpointList(ctx, id, o)));
  checkpoint
    .command("restore")
    .alias("load")
    .description("restore a checkpoint (the newest unless named); the mission must be paused")
    .argument("[mission]", MISSION_HELP)
    .argument("[checkpoint]", "the checkpoint's id (default: the newest)")
    .option("--mission <mission>", "the mission (the reference's spelling)")
    .addHelpText("after", examples("maestro checkpoint restore 2026-04-17-001\nmaestro checkpoint load --mission 2026-04-17-001"))
    .action((id, cp, o, cmd) => run(cmd, async (ctx) => (await more()).checkpointRestore(ctx, id, cp, o)));

  program
    .command("mission-control")
    .description("Mission Control, read-only: --json (the reference's snapshot) or --preview (one text frame)")
    .option("--agent <agent>", "only this project agent's missions")
    .option("--mission <mission>", "this mission (default: the newest executing or paused one)")
    .option("--preview", "print one text frame of the dashboard")
    .addHelpText("after", examples("maestro mission-control --json\nmaestro mission-control --preview --mission 2026-04-17-001"))
    .action((o, cmd) => run(cmd, async (ctx) => (await more()).missionControl(ctx, o)));
}
