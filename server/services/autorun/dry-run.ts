import { parseChecklist } from "../../../lib/autorun/checklist";
import { dryRunJsonl, type DesktopJsonl } from "../../../lib/autorun/run-events";
import { runConfigSchema, type RunConfigInput } from "../../../lib/autorun/run-config";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { autorunFolderOf, documentPath, readDocument } from "./files";

/**
 * Desktop's `--dry-run`: what a run of `config` would work through, as its JSONL lines, without
 * starting anything. The documents are found and read as a run finds and reads them (confined to
 * the Auto Run folder, `.md` optional) and parsed by the same checklist parser; a person's task
 * is never an agent's, so it is not previewed.
 */
export async function dryRunLines(
  db: Db,
  input: { agentId: string; config: RunConfigInput; name?: string; playbookId?: string | null },
): Promise<DesktopJsonl[]> {
  const config = runConfigSchema.parse(input.config);
  const agent = await db.agent.findUnique({
    where: { id: input.agentId },
    select: { id: true, name: true, folder: true, settingsJson: true },
  });
  if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
  const folder = await autorunFolderOf(agent);
  const documents = [];
  for (const d of config.documents) {
    const text = await readDocument(await documentPath(folder, d.filename), d.filename);
    const tasks = parseChecklist(text).tasks.filter((t) => !t.done && !t.forHuman);
    documents.push({ filename: d.filename, tasks: tasks.map((t) => t.text) });
  }
  const name = input.name?.trim() || config.documents.map((d) => d.filename).join(", ");
  return dryRunJsonl(
    {
      playbook: { id: input.playbookId ?? `dry-run-${Date.now()}`, name },
      agent: { id: agent.id, name: agent.name, folder: agent.folder },
      documents,
    },
    Date.now(),
  );
}
