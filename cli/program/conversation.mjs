// @ts-check
import { examples, run } from "./define.mjs";

/** @param {string} value @param {string[]} previous */
const collect = (value, previous = []) => [...previous, value];

/**
 * Conversations and their record: `send`, `session list|show`, `list sessions|terminals` and
 * `history`.
 * @param {import("commander").Command} program
 * @param {{ list: import("commander").Command, show: import("commander").Command }} parents
 */
export function registerConversation(program, { list }) {
  program
    .command("send")
    .description("send a message to an agent and print its reply (waits for the turn; a new tab unless --tab)")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .argument("<message>", "what to ask (one that starts with - goes after --)")
    .option("--tab <id>", "continue this tab's conversation (the sessionId an earlier send printed)")
    .option("--new-tab", "a new tab (the default)")
    .option("-r, --read-only", "this turn in the provider's read-only / plan mode: it may read, not write")
    .option("--wait", "wait for the reply (the default)")
    .option("--no-wait", "return once the turn has started (response null)")
    .addHelpText(
      "after",
      examples(
        'maestro send api "summarise the open TODOs"\nmaestro send api "and now fix the first one" --tab cm4ktab01 --json\nmaestro send api --read-only "review src/auth.ts"\nmaestro send api -- "-v is broken, why?"',
      ),
    )
    .action((agent, message, o, cmd) => run(cmd, async (ctx) => (await import("../commands/send.mjs")).send(ctx, agent, message, o)));

  const session = program
    .command("session")
    .description("an agent's tabs (conversations) and their messages")
    .addHelpText("after", examples("maestro session list -a api\nmaestro session show cm4ktab01 --tail 10"));
  session
    .command("list")
    .description("list tabs: id, agent, title, provider session, turns, state, last activity")
    .option("-a, --agent <agent>", "only this agent's tabs")
    .addHelpText("after", examples("maestro session list\nmaestro session list -a api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await import("../commands/session.mjs")).sessionList(ctx, o.agent)));
  session
    .command("show")
    .description("print a tab's conversation (--json: an array of {id, role, source, content, timestamp})")
    .argument("<tab>", "the tab's id (or 4+ characters of it)")
    .option("--since <time>", "only messages since: an ISO date, epoch seconds, or an age (2h, 3d)")
    .option("--tail <n>", "only the last N messages")
    .addHelpText("after", examples("maestro session show cm4ktab01\nmaestro session show cm4ktab01 --since 2h --tail 5 --json"))
    .action((tab, o, cmd) => run(cmd, async (ctx) => (await import("../commands/session.mjs")).sessionShow(ctx, tab, o)));

  list
    .command("sessions")
    .description("list provider sessions (Maestro's and the provider's own), as the session explorer shows them")
    .option("-a, --agent <agent>", "only this agent's sessions")
    .option("-s, --search <text>", "only sessions that mention this text (title, name, id or conversation)")
    .addHelpText("after", examples('maestro list sessions\nmaestro list sessions -a api --search "login" --json'))
    .action((o, cmd) => run(cmd, async (ctx) => (await import("../commands/session.mjs")).listSessions(ctx, o.agent, o.search)));
  list
    .command("terminals")
    .description("list open command terminals (needs the running bridge)")
    .option("-a, --agent <agent>", "only this agent's terminals")
    .addHelpText("after", examples("maestro list terminals\nmaestro list terminals -a api --json"))
    .action((o, cmd) => run(cmd, async (ctx) => (await import("../commands/session.mjs")).listTerminals(ctx, o.agent)));

  program
    .command("history")
    .description("print History (turns, Auto Run tasks, loops and runs, pull requests, share-link uses), newest first")
    .option("--agent <agent>", "only this agent's entries")
    .option(
      "--kind <kind>",
      "only this kind (repeatable, or comma-separated): turn, autorun-task, autorun-loop, autorun-run, git-pr, share-use, approval, groupchat-delegation, groupchat-response, groupchat-synthesis",
      collect,
    )
    .option("--since <time>", "only entries since: an ISO date, epoch seconds, or an age (2h, 3d)")
    .option("--failed", "only failed entries")
    .option("--limit <n>", "at most N entries (default 50)")
    .addHelpText(
      "after",
      examples(
        "maestro history\nmaestro history --agent api --kind turn --since 2h\nmaestro history --kind autorun-task --since 2026-12-07T09:00Z --json",
      ),
    )
    .action((o, cmd) => run(cmd, async (ctx) => (await import("../commands/history.mjs")).history(ctx, o)));
}
