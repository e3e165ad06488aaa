// @ts-check
import { examples, run } from "./define.mjs";

/**
 * Group chats: `groupchat list|show|send`.
 * @param {import("commander").Command} program
 */
export function registerGroupchat(program) {
  const cmds = async () => import("../commands/groupchat.mjs");
  const groupchat = program
    .command("groupchat")
    .description("group chats: a moderator agent asks several agents at once")
    .addHelpText(
      "after",
      examples('maestro groupchat list\nmaestro groupchat show team\nmaestro groupchat send team "how do we ship?" --wait'),
    );
  groupchat
    .command("list")
    .description("list group chats: id, name, status, moderator, participants, cost")
    .addHelpText("after", examples("maestro groupchat list\nmaestro groupchat list --json"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await cmds()).groupchatList(ctx)));
  groupchat
    .command("show")
    .description("print a group chat's messages (--json: the whole chat view)")
    .argument("<chat>", "the chat's id, a unique id prefix, or its name")
    .option("--tail <n>", "only the last N messages")
    .addHelpText("after", examples("maestro groupchat show team\nmaestro groupchat show cm4kchat --tail 5 --json"))
    .action((chat, o, cmd) => run(cmd, async (ctx) => (await cmds()).groupchatShow(ctx, chat, o)));
  groupchat
    .command("send")
    .description("send a message to a group chat (a round starts); --wait prints the moderator's answer")
    .argument("<chat>", "the chat's id, a unique id prefix, or its name")
    .argument("<message>", "what to ask (@Name mentions add agents; one that starts with - goes after --)")
    .option("--wait", "wait until the round ends and print the answer")
    .addHelpText(
      "after",
      examples('maestro groupchat send team "@api @web how do we ship?" --wait\nmaestro groupchat send team "go on" --json'),
    )
    .action((chat, message, o, cmd) => run(cmd, async (ctx) => (await cmds()).groupchatSend(ctx, chat, message, o)));
}
