import {
  parsePlaybookFile,
  PlaybookImportError,
  playbookFile,
  runConfigSchema,
  type RunConfig,
  type RunConfigInput,
} from "../../../lib/autorun/run-config";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import type { AutorunService } from "./runner";

export interface PlaybookView {
  id: string;
  agentId: string;
  name: string;
  config: RunConfig;
  createdAt: Date;
  updatedAt: Date;
}

function view(row: { id: string; agentId: string; name: string; configJson: string; createdAt: Date; updatedAt: Date }): PlaybookView {
  const { configJson, ...rest } = row;
  return { ...rest, config: runConfigSchema.parse(JSON.parse(configJson)) };
}

/** Playbooks: saved Run configurations per agent, with desktop-compatible JSON import/export. */
export function createPlaybooksService(db: Db, bus: Bus, runs: Pick<AutorunService, "start">) {
  async function mustExist(id: string) {
    const row = await db.playbook.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", "That playbook no longer exists.");
    return row;
  }
  async function agentMustExist(agentId: string) {
    if (!(await db.agent.findUnique({ where: { id: agentId }, select: { id: true } })))
      throw new AppError("NOT_FOUND", "That agent no longer exists.");
  }
  const changed = (agentId: string) => bus.publish("autorun.changed", { agentId, runId: "" });

  return {
    async list(agentId?: string) {
      const rows = await db.playbook.findMany({ where: agentId ? { agentId } : {}, orderBy: [{ updatedAt: "desc" }] });
      return rows.map(view);
    },
    async byId(id: string) {
      return view(await mustExist(id));
    },
    async create(input: { agentId: string; name: string; config: RunConfigInput }) {
      await agentMustExist(input.agentId);
      const config = runConfigSchema.parse(input.config);
      const row = await db.playbook.create({
        data: { agentId: input.agentId, name: input.name.trim(), configJson: JSON.stringify(config) },
      });
      changed(row.agentId);
      return view(row);
    },
    async update(id: string, input: { name?: string; config?: RunConfigInput }) {
      const next = await db.playbook.update({
        where: { id },
        data: {
          ...(input.name ? { name: input.name.trim() } : {}),
          ...(input.config ? { configJson: JSON.stringify(runConfigSchema.parse(input.config)) } : {}),
        },
      });
      changed(next.agentId);
      return view(next);
    },
    async remove(id: string) {
      const row = await db.playbook.delete({ where: { id }, select: { agentId: true } });
      changed(row.agentId);
    },
    /** Imports a playbook file's text; a bad file is a BAD_INPUT with what is wrong and where. */
    async importFile(input: { agentId: string; text: string; name?: string }) {
      await agentMustExist(input.agentId);
      let parsed: ReturnType<typeof parsePlaybookFile>;
      try {
        parsed = parsePlaybookFile(input.text);
      } catch (err) {
        if (err instanceof PlaybookImportError) throw new AppError("BAD_INPUT", err.message, { field: "file" });
        throw err;
      }
      const name = input.name?.trim() || parsed.name || "Imported playbook";
      const row = await db.playbook.create({ data: { agentId: input.agentId, name, configJson: JSON.stringify(parsed.config) } });
      changed(row.agentId);
      return view(row);
    },
    /** Starts a run of a playbook on its agent. */
    async run(id: string) {
      const pb = view(await mustExist(id));
      return runs.start({ agentId: pb.agentId, config: pb.config, name: pb.name, playbookId: pb.id });
    },
    async exportFile(id: string) {
      const pb = view(await mustExist(id));
      return {
        filename: `${pb.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "playbook"}.json`,
        json: playbookFile(pb.name, pb.config),
      };
    },
  };
}

export type PlaybooksService = ReturnType<typeof createPlaybooksService>;
