import { missionControlJson } from "../../../lib/missions/control";
import type { HandoffView, MissionView } from "../../../lib/missions/types";
import type { Db } from "../../db";
import { viewOf } from "./handoffs";
import type { MissionStore } from "./store";

/** The missions and handoffs `mission-control --json` shows: the project's (or every project's). */
export async function controlInputs(
  db: Db,
  store: MissionStore,
  input: { agentId?: string },
): Promise<{ views: MissionView[]; handoffs: HandoffView[] }> {
  const items = await store.list(input);
  const views: MissionView[] = [];
  for (const item of items) views.push(await store.view(item.id));
  const folders = [...new Set(views.map((v) => v.folder))];
  const agent = input.agentId ? await db.agent.findUnique({ where: { id: input.agentId }, select: { folder: true } }) : null;
  if (agent && !folders.includes(agent.folder)) folders.push(agent.folder);
  const rows = await db.missionHandoff.findMany({
    where: input.agentId ? { folder: { in: folders } } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
  });
  return { views, handoffs: rows.map(viewOf) };
}

/** The reference's `mission-control --json` (lib/missions/control.ts): the project's current mission with its features, progress and pending handoffs. */
export async function missionControl(db: Db, store: MissionStore, input: { agentId?: string }): Promise<unknown> {
  const { views, handoffs } = await controlInputs(db, store, input);
  return missionControlJson(views, handoffs);
}
