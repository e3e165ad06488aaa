import type { ProviderId } from "../../../lib/providers/catalog";
import type { Db } from "../../db";
import { claudeSessions, codexSessions, fileContains, simulatorSessions, type StoreSession } from "./stores";

export interface SessionEntry {
  provider: string;
  sessionId: string;
  title: string;
  name: string | null;
  starred: boolean;
  updatedAt: Date;
  /** Where we know it from: a Maestro tab, the provider's own store, or both. */
  inMaestro: boolean;
  inStore: boolean;
  /** The open tab that holds this session, if any. */
  tabId: string | null;
}

/**
 * The session explorer: an agent's conversations from our database and from its provider's own
 * session store (so sessions started outside Maestro can be resumed into a tab). Names and stars
 * live in our database.
 */
export function createSessionsService(db: Db, homes: { codexHome: string; simulatorHome: string }) {
  async function fromStore(provider: ProviderId, folder: string): Promise<StoreSession[]> {
    if (provider === "claude") return claudeSessions(folder);
    if (provider === "codex") return codexSessions(folder, homes.codexHome);
    if (provider === "simulator") return simulatorSessions(folder, homes.simulatorHome);
    return []; // opencode and gemini keep theirs in formats we do not read yet
  }

  async function setMeta(provider: string, sessionId: string, patch: { name?: string | null; starred?: boolean }) {
    await db.sessionMeta.upsert({
      where: { provider_sessionId: { provider, sessionId } },
      create: { provider, sessionId, name: patch.name ?? null, starred: patch.starred ?? false },
      update: patch,
    });
  }

  return {
    async list(agentId: string, query = ""): Promise<SessionEntry[]> {
      const agent = await db.agent.findUniqueOrThrow({ where: { id: agentId }, select: { folder: true, provider: true } });
      const provider = agent.provider as ProviderId;
      const [tabs, store, metas] = await Promise.all([
        db.tab.findMany({
          where: { agentId, providerSessionId: { not: null } },
          select: {
            id: true,
            name: true,
            providerSessionId: true,
            updatedAt: true,
            turns: { take: 1, orderBy: { startedAt: "asc" }, select: { prompt: true } },
          },
        }),
        fromStore(provider, agent.folder),
        db.sessionMeta.findMany({ where: { provider } }),
      ]);
      const meta = new Map(metas.map((m) => [m.sessionId, m]));
      const byId = new Map<string, SessionEntry & { file?: string }>();
      for (const s of store) {
        byId.set(s.sessionId, {
          provider,
          sessionId: s.sessionId,
          title: s.title,
          name: null,
          starred: false,
          updatedAt: s.updatedAt,
          inMaestro: false,
          inStore: true,
          tabId: null,
          file: s.file,
        });
      }
      for (const t of tabs) {
        const id = t.providerSessionId!;
        const known = byId.get(id);
        byId.set(id, {
          provider,
          sessionId: id,
          title: known?.title ?? (t.turns[0]?.prompt.replace(/\s+/g, " ").slice(0, 120) || t.name),
          name: null,
          starred: false,
          updatedAt: known && known.updatedAt > t.updatedAt ? known.updatedAt : t.updatedAt,
          inMaestro: true,
          inStore: !!known,
          tabId: t.id,
          file: known?.file,
        });
      }
      let entries = [...byId.values()].map((e) => ({
        ...e,
        name: meta.get(e.sessionId)?.name ?? null,
        starred: meta.get(e.sessionId)?.starred ?? false,
      }));
      const q = query.trim().toLowerCase();
      if (q) {
        const hits = await Promise.all(
          entries.map(async (e) => {
            if (`${e.title} ${e.name ?? ""} ${e.sessionId}`.toLowerCase().includes(q)) return true;
            if (e.file && (await fileContains(e.file, q))) return true;
            if (e.tabId) return (await db.event.count({ where: { turn: { tabId: e.tabId }, payload: { contains: q } } })) > 0;
            return false;
          }),
        );
        entries = entries.filter((_, i) => hits[i]);
      }
      return entries
        .sort((a, b) => Number(b.starred) - Number(a.starred) || b.updatedAt.getTime() - a.updatedAt.getTime())
        .map(({ file: _file, ...rest }) => rest);
    },

    /** Names or stars one of an agent's sessions (kept per provider: the same session seen from another agent keeps them). */
    async setMetaFor(agentId: string, sessionId: string, patch: { name?: string | null; starred?: boolean }) {
      const agent = await db.agent.findUniqueOrThrow({ where: { id: agentId }, select: { provider: true } });
      await setMeta(agent.provider, sessionId, patch);
      return { ok: true as const };
    },

    setMeta,
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
