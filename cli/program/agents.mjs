// @ts-check
import { examples, run } from "./define.mjs";

/**
 * `list` and `show` (the parents every domain hangs its listings on) and the agent/group ones.
 * @param {import("commander").Command} program
 * @returns {{ list: import("commander").Command, show: import("commander").Command }}
 */
export function registerAgents(program) {
  const list = program
    .command("list")
    .description("list agents, groups, playbooks, runs, sessions or terminals")
    .addHelpText("after", examples("maestro list agents\nmaestro list groups --json"));
  list
    .command("agents")
    .description("list agents (id, name, provider, status, group, folder)")
    .option("-g, --group <group>", "only this group's agents (id, id prefix or name)")
    .addHelpText("after", examples("maestro list agents\nmaestro list agents --group backend --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await import("../commands/agents.mjs")).listAgents(ctx, o.group)));
  list
    .command("groups")
    .description("list groups with their number of agents")
    .addHelpText("after", examples("maestro list groups\nmaestro list groups --json"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await import("../commands/agents.mjs")).listGroups(ctx)));

  const show = program
    .command("show")
    .description("show one agent, playbook or run")
    .addHelpText("after", examples("maestro show agent api"));
  show
    .command("agent")
    .description("show an agent and its History (totals, newest entries); name it by id, unique id prefix or name (any case)")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .addHelpText("after", examples("maestro show agent api\nmaestro show agent cm4k2 --json"))
    .action((agent, _o, cmd) => run(cmd, async (ctx) => (await import("../commands/agents.mjs")).showAgent(ctx, agent)));

  return { list, show };
}
