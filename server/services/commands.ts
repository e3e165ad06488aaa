import { dateVars, fillTemplate } from "../../lib/prompts/template";
import { BUILTIN_COMMANDS, parseSlash, type SlashCommand } from "../../lib/prompts/slash";
import { buildSpecPrompt, SPEC_COMMAND, specSlug } from "../../lib/prompts/spec";
import type { Db } from "../db";
import { AppError } from "../errors";

/** Slash commands: Maestro's builtins, the user's own (templates), the provider's (from its init event). */
export function createCommandsService(db: Db) {
  return {
    listUser() {
      return db.userCommand.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, description: true, template: true } });
    },
    async save(input: { id?: string; name: string; description: string; template: string }) {
      if (BUILTIN_COMMANDS.some((c) => c.name === input.name))
        throw new AppError("CONFLICT", `/${input.name} is built in; pick another name.`, { field: "name" });
      const clash = await db.userCommand.findUnique({ where: { name: input.name } });
      if (clash && clash.id !== input.id) throw new AppError("CONFLICT", `You already have /${input.name}.`, { field: "name" });
      const data = { name: input.name, description: input.description, template: input.template };
      return input.id ? db.userCommand.update({ where: { id: input.id }, data }) : db.userCommand.create({ data });
    },
    async remove(id: string) {
      await db.userCommand.deleteMany({ where: { id } });
    },

    /** Everything `/` can complete for this agent. */
    async forAgent(agentId: string): Promise<SlashCommand[]> {
      const user = (await this.listUser()).map((c): SlashCommand => ({ name: c.name, description: c.description, source: "user" }));
      // The provider lists its own commands in its session-start event (claude: slash_commands).
      const last = await db.event.findFirst({
        where: { type: "session", turn: { agentId } },
        orderBy: { id: "desc" },
        select: { payload: true },
      });
      let provider: SlashCommand[] = [];
      try {
        const session: unknown = JSON.parse(last?.payload ?? "{}");
        const names: unknown = session && typeof session === "object" && "slashCommands" in session ? session.slashCommands : [];
        if (Array.isArray(names))
          provider = names.filter((n): n is string => typeof n === "string").map((name) => ({ name, description: "", source: "provider" }));
      } catch {
        /* nothing stored yet */
      }
      return [...BUILTIN_COMMANDS, ...user, ...provider];
    },

    /**
     * Expands `/spec <goal>` (into the prompt that has the agent write a checklist at
     * `specTarget`'s free name in its Auto Run folder) and `/name args` when it is a user command;
     * anything else is sent as typed.
     */
    async expand(
      text: string,
      agent: { name: string; folder: string },
      specTarget?: (slug: string) => Promise<{ folder: string; name: string }>,
    ): Promise<string> {
      const slash = parseSlash(text);
      if (!slash) return text;
      if (slash.name === SPEC_COMMAND && slash.args && specTarget) {
        const { folder, name } = await specTarget(specSlug(slash.args));
        return buildSpecPrompt(slash.args, folder, name);
      }
      const cmd = await db.userCommand.findUnique({ where: { name: slash.name } });
      if (!cmd) return text;
      return fillTemplate(cmd.template, { ...dateVars(new Date()), ARGS: slash.args, AGENT_NAME: agent.name, AGENT_PATH: agent.folder });
    },
  };
}

export type CommandsService = ReturnType<typeof createCommandsService>;
