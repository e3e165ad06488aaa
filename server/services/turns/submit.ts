import type { AgentsService } from "../agents/service";
import type { DocumentsService } from "../autorun/documents";
import type { CommandsService } from "../commands";
import type { TabsService } from "../tabs/service";
import type { UploadsService } from "../uploads";
import type { TurnsService } from "./service";

export interface SubmitInput {
  tabId: string;
  /** As typed: a `/command` is expanded here. */
  prompt: string;
  /** Upload ids (the owner's files), resolved to their paths here. */
  images?: string[];
  clientId?: string;
  readOnly?: boolean;
}

/** What the composer sends: a typed prompt becomes a turn, with its slash command expanded and its images found. */
export function createSubmit(deps: {
  tabs: Pick<TabsService, "byId">;
  agents: Pick<AgentsService, "byId">;
  commands: Pick<CommandsService, "expand">;
  documents: Pick<DocumentsService, "freeName">;
  uploads: Pick<UploadsService, "pathOf">;
  turns: Pick<TurnsService, "send">;
}) {
  return async function submit(input: SubmitInput) {
    const tab = await deps.tabs.byId(input.tabId);
    const agent = await deps.agents.byId(tab.agentId);
    const prompt = await deps.commands.expand(input.prompt, agent, (slug) => deps.documents.freeName(agent.id, slug));
    const images = await Promise.all((input.images ?? []).map((id) => deps.uploads.pathOf(id)));
    return deps.turns.send({ tabId: input.tabId, prompt, images, clientId: input.clientId, readOnly: input.readOnly });
  };
}
