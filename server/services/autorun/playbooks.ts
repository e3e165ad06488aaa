import { bundleFileName, MAX_BUNDLE_BYTES } from "../../../lib/autorun/bundle-rules";
import { formatBytes } from "../../../lib/autorun/documents";
import { parseImportText, type ImportText, type ManifestChoice } from "../../../lib/autorun/playbook-formats";
import { PlaybookImportError, playbookFile, runConfigSchema, type RunConfig, type RunConfigInput } from "../../../lib/autorun/run-config";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { autorunFolderOf } from "./files";
import { createBundleInstaller, type BundleInput, type InstallOptions } from "./install-bundle";
import { bundleFiles, readBundle, writeBundle } from "./playbook-bundle";
import type { AutorunService } from "./runner";

export interface PlaybookView {
  id: string;
  agentId: string;
  name: string;
  config: RunConfig;
  createdAt: Date;
  updatedAt: Date;
}

/** What an import answers: the playbook it made (with what it wrote), or a manifest's playbooks to pick from. */
export type ImportAnswer =
  | (PlaybookView & { kind: "playbook"; written: string[]; unchanged: string[]; missing: string[] })
  | { kind: "manifest"; choices: ManifestChoice[]; skipped: string[] };

/** A lib parse error as the BAD_INPUT a person reads. */
function parsed(run: () => ImportText, where = ""): ImportText {
  try {
    return run();
  } catch (err) {
    if (err instanceof PlaybookImportError) throw new AppError("BAD_INPUT", `${where}${err.message}`, { field: "file" });
    throw err;
  }
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
  const installer = createBundleInstaller(db, bus);

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
    /**
     * Installs a playbook with its documents and assets into the agent's Auto Run folder and
     * saves it, atomically: a refusal (bad name, size, clash without `overwrite`) writes nothing.
     * The one way files come in with a playbook; the Playbook Exchange reuses it.
     */
    async installBundle(agentId: string, bundle: BundleInput, options?: InstallOptions) {
      const { row, ...files } = await installer.install(agentId, bundle, options);
      changed(row.agentId);
      return { ...view(row), ...files };
    },
    /**
     * Imports a JSON text: a playbook file (desktop's or ours), or a manifest (the registry's
     * `manifest.json`, desktop's `local-manifest.json`), which answers with its playbooks until
     * one is picked. A manifest carries no documents: the answer lists those not in the folder.
     */
    async importFile(input: { agentId: string; text: string; name?: string; pick?: string }): Promise<ImportAnswer> {
      await agentMustExist(input.agentId);
      const what = parsed(() => parseImportText(input.text, input.pick));
      if (what.kind === "manifest") return what;
      const name = input.name?.trim() || what.name || "Imported playbook";
      return { kind: "playbook", ...(await this.installBundle(input.agentId, { name, config: what.config, documents: [], assets: [] })) };
    },
    /** Imports a `.maestro-playbook.zip` (base64): its documents and assets go into the Auto Run folder. */
    async importZip(input: { agentId: string; zip: string; name?: string; pick?: string; overwrite?: boolean }): Promise<ImportAnswer> {
      await agentMustExist(input.agentId);
      const bytes = Buffer.from(input.zip, "base64");
      if (bytes.length > MAX_BUNDLE_BYTES)
        throw new AppError(
          "BAD_INPUT",
          `That zip is ${formatBytes(bytes.length)}; playbook bundles are limited to ${formatBytes(MAX_BUNDLE_BYTES)}.`,
        );
      const contents = await readBundle(bytes);
      const what = parsed(() => parseImportText(contents.manifestText, input.pick), "In the zip's manifest.json: ");
      if (what.kind === "manifest") return what;
      const name = input.name?.trim() || what.name || "Imported playbook";
      const bundle = { name, config: what.config, documents: contents.documents, assets: contents.assets };
      return { kind: "playbook", ...(await this.installBundle(input.agentId, bundle, { overwrite: input.overwrite })) };
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
    /** Desktop's `.maestro-playbook.zip` of a playbook (base64), with the documents it could not find. */
    async exportZip(id: string) {
      const pb = view(await mustExist(id));
      const agent = await db.agent.findUnique({ where: { id: pb.agentId }, select: { folder: true, settingsJson: true } });
      if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
      const { files, missing } = await bundleFiles(await autorunFolderOf(agent), pb.name, pb.config);
      const zip = await writeBundle(files);
      if (zip.length > MAX_BUNDLE_BYTES)
        throw new AppError(
          "BAD_INPUT",
          `This playbook zips to ${formatBytes(zip.length)}, over the ${formatBytes(MAX_BUNDLE_BYTES)} an import takes.`,
        );
      return { filename: bundleFileName(pb.name), zip: zip.toString("base64"), missing };
    },
  };
}

export type PlaybooksService = ReturnType<typeof createPlaybooksService>;
