// @ts-check
import { examples, run } from "./define.mjs";

/**
 * Changing things: agents and groups, share links and the tunnel, worktrees, diffs and pull
 * requests.
 * @param {import("commander").Command} program
 * @param {{ list: import("commander").Command, show: import("commander").Command }} _parents
 */
export function registerOps(program, _parents) {
  const edit = async () => import("../commands/edit.mjs");
  program
    .command("create-agent")
    .description("create an agent for a project folder")
    .argument("<name>", "the agent's name")
    .requiredOption("--path <dir>", "the project folder (relative to here is fine)")
    .requiredOption("--provider <id>", "the agent CLI: simulator, claude, codex, opencode or gemini")
    .option("--group <group>", "put it in this group (id, id prefix or name)")
    .option("--model <model>", "the model to ask for (default: the CLI's own)")
    .addHelpText(
      "after",
      examples(
        "maestro create-agent api --path . --provider claude\nmaestro create-agent web --path ~/src/web --provider codex --group frontend --json",
      ),
    )
    .action((name, o, cmd) => run(cmd, async (ctx) => (await edit()).createAgent(ctx, name, o)));
  program
    .command("update-agent")
    .description("change an agent's name, group, provider or model")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .option("--name <name>", "a new name")
    .option("--group <group>", "move it to this group (none: no group)")
    .option("--provider <id>", "another agent CLI (its tabs start new provider sessions)")
    .option("--model <model>", 'the model to ask for ("" for the CLI\'s default)')
    .addHelpText("after", examples("maestro update-agent api --model opus\nmaestro update-agent api --group none --provider codex"))
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await edit()).updateAgent(ctx, agent, o)));
  program
    .command("rename-agent")
    .description("rename an agent")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .argument("<name>", "the new name")
    .addHelpText("after", examples('maestro rename-agent api "API server"'))
    .action((agent, name, _o, cmd) => run(cmd, async (ctx) => (await edit()).renameAgent(ctx, agent, name)));
  program
    .command("remove-agent")
    .description("delete an agent with its tabs and playbooks (its folder stays); asks first on a terminal")
    .argument("<agent>", "the agent's id, its name, or at least 4 characters of its id")
    .option("-y, --yes", "do not ask (needed when not on a terminal)")
    .addHelpText("after", examples("maestro remove-agent api\nmaestro remove-agent cm4kapi0 --yes --json"))
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await edit()).removeAgent(ctx, agent, o)));
  program
    .command("bookmark")
    .description("bookmark an agent (it stays on top), or --off to unbookmark it")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .option("--off", "remove the bookmark")
    .addHelpText("after", examples("maestro bookmark api\nmaestro bookmark api --off"))
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await edit()).bookmark(ctx, agent, o)));
  program
    .command("create-group")
    .description("create a group for agents")
    .argument("<name>", "the group's name")
    .addHelpText("after", examples("maestro create-group backend\nmaestro create-agent api --path . --provider claude --group backend"))
    .action((name, _o, cmd) => run(cmd, async (ctx) => (await edit()).createGroup(ctx, name)));

  const shareCmds = async () => import("../commands/share.mjs");
  const share = program
    .command("share")
    .description("share links for teammates: create, list, revoke (needs the running bridge)")
    .addHelpText(
      "after",
      examples("maestro share create api --scope control --expires 7d\nmaestro share list\nmaestro share revoke cm4kshr01"),
    );
  share
    .command("create")
    .description("create a link to one agent (or, with --chat, one group chat) and print it (through the tunnel's URL when it runs)")
    .argument("<agent>", "the agent's (or with --chat the chat's) id, a unique id prefix, or its name")
    .option("--scope <scope>", "view (watch) or control (also prompt)", "view")
    .option("--expires <duration>", "how long it works: 1h to 30d", "1d")
    .option("--label <label>", "who it is for (shown in the list)")
    .option("--can-approve", "with --scope control: they may also Allow or Deny the agent's tool calls")
    .option("--chat", "the argument names a group chat: a link to that chat (control: send, stop, retry)")
    .addHelpText(
      "after",
      examples(
        'maestro share create api\nmaestro share create api --scope control --expires 2h --label "Sam" --json\nmaestro share create api --scope control --can-approve\nmaestro share create "team talk" --chat --scope control',
      ),
    )
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await shareCmds()).shareCreate(ctx, agent, o)));
  share
    .command("list")
    .description("list share links with their state (active, expired, revoked) and uses")
    .addHelpText("after", examples("maestro share list\nmaestro share list --json"))
    .action((_o, cmd) => run(cmd, async (ctx) => (await shareCmds()).shareList(ctx)));
  share
    .command("revoke")
    .description("revoke a link now (its open sessions end); an already revoked one is exit 4")
    .argument("<id>", "the link's id (from share list)")
    .addHelpText("after", examples("maestro share revoke cm4kshr01"))
    .action((id, _o, cmd) => run(cmd, async (ctx) => (await shareCmds()).shareRevoke(ctx, id)));

  const tunnel = program
    .command("tunnel")
    .description("the Cloudflare tunnel to reach Maestro from anywhere (needs the running bridge)")
    .addHelpText("after", examples("maestro tunnel start\nmaestro tunnel status --json\nmaestro tunnel stop"));
  for (const [action, text] of /** @type {const} */ ([
    ["start", "start it and print its public URL once it is up"],
    ["stop", "stop it"],
    ["status", "print its state and URL"],
  ])) {
    tunnel
      .command(action)
      .description(text)
      .addHelpText("after", examples(`maestro tunnel ${action}`))
      .action((_o, cmd) => run(cmd, async (ctx) => (await shareCmds()).tunnel(ctx, action)));
  }

  const git = async () => import("../commands/git.mjs");
  program
    .command("create-worktree")
    .description("create an agent that works in a new git worktree of AGENT's repository, on a new branch")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .argument("<branch>", "the new branch")
    .option("--base <branch>", "branch it from this (default: the current branch)")
    .option("--name <name>", "the new agent's name (default: from the branch)")
    .addHelpText(
      "after",
      examples("maestro create-worktree api feature/login\nmaestro create-worktree api fix-42 --base main --name api-fix --json"),
    )
    .action((agent, branch, o, cmd) => run(cmd, async (ctx) => (await git()).createWorktree(ctx, agent, branch, o)));
  program
    .command("diff")
    .description("print an agent's uncommitted changes as a unified diff (untracked files included)")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .option("--staged", "what is staged instead")
    .option("--stat", "a summary per file instead of the diff")
    .addHelpText("after", examples("maestro diff api\nmaestro diff api --stat\nmaestro diff api --staged --json"))
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await git()).diff(ctx, agent, o)));
  program
    .command("pr")
    .description("push an agent's branch and open a pull request (gh when logged in, else the host's compare page)")
    .argument("<agent>", "the agent's id, a unique id prefix, or its name")
    .option("--title <title>", "the title (default: from the branch's commits)")
    .option("--body <body>", "the description (default: from its commits and Auto Run)")
    .option("--base <branch>", "merge into this (default: the branch it was made from)")
    .option("--draft", "as a draft")
    .addHelpText("after", examples('maestro pr api-fix\nmaestro pr api-fix --title "Fix login" --draft --json'))
    .action((agent, o, cmd) => run(cmd, async (ctx) => (await git()).pr(ctx, agent, o)));
}
