import { compileGuidance, type MemoryEntry } from "../../../lib/missions/memory";
import type { MemoryKind, MemoryView } from "../../../lib/missions/types";
import { AppError, errorText } from "../../errors";
import type { MissionCtx } from "./store";
import { projectFolder } from "./handoffs";
import { memoryView } from "./views";

/**
 * A project's memory (per project folder: every agent on that folder, and its worktree agents, share it): corrections and
 * learnings, compiled into the guidance every worker prompt carries. `.maestro/memory/` is
 * rewritten after each change; a failed write is logged (the database is the live store).
 */
export function createMemory(ctx: MissionCtx, deps: { writeMemory: (folder: string, entries: MemoryView[]) => Promise<void> }) {
  const { db } = ctx;

  const folderOf = (agentId: string) => projectFolder(db, agentId);

  async function entriesOf(folder: string): Promise<MemoryEntry[]> {
    const rows = await db.missionMemory.findMany({ where: { folder }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return rows.map((r) => ({ kind: r.kind as MemoryKind, text: r.text, createdAt: r.createdAt.toISOString() }));
  }

  /** Tells lists, then writes the folder's `.maestro/memory/` (never fatal). */
  async function written(folder: string) {
    ctx.bus.publish("missions.changed", { missionId: "" });
    try {
      const rows = await db.missionMemory.findMany({ where: { folder }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      await deps.writeMemory(folder, rows.map(memoryView));
    } catch (err) {
      ctx.logger.error(`missions: writing .maestro/memory/ in ${folder} failed: ${errorText(err)}`);
    }
  }

  async function list(agentId: string): Promise<MemoryView[]> {
    const folder = await folderOf(agentId);
    const rows = await db.missionMemory.findMany({ where: { folder }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return rows.map(memoryView);
  }

  async function add(input: { agentId: string; kind: MemoryKind; text: string }): Promise<MemoryView> {
    const folder = await folderOf(input.agentId);
    const text = input.text.trim();
    if (!text) throw new AppError("BAD_INPUT", "Write the correction or learning.", { field: "text" });
    const row = await db.missionMemory.create({ data: { folder, kind: input.kind, text } });
    await written(folder);
    return memoryView(row);
  }

  async function update(input: { id: string; text: string }): Promise<void> {
    const text = input.text.trim();
    if (!text) throw new AppError("BAD_INPUT", "Write the correction or learning (or remove it).", { field: "text" });
    const row = await db.missionMemory.findUnique({ where: { id: input.id } });
    if (!row) throw new AppError("NOT_FOUND", "That memory entry no longer exists.");
    await db.missionMemory.update({ where: { id: row.id }, data: { text } });
    await written(row.folder);
  }

  async function remove(id: string): Promise<void> {
    const row = await db.missionMemory.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", "That memory entry no longer exists.");
    await db.missionMemory.delete({ where: { id } });
    await written(row.folder);
  }

  async function guidance(folder: string): Promise<string> {
    return compileGuidance(await entriesOf(folder));
  }

  async function compile(agentId: string): Promise<{ guidance: string }> {
    return { guidance: await guidance(await folderOf(agentId)) };
  }

  /** Import: entries not yet stored (same kind and text) are added with their time. */
  async function importEntries(folder: string, entries: MemoryEntry[]): Promise<number> {
    const have = new Set((await entriesOf(folder)).map((e) => `${e.kind}\n${e.text.trim()}`));
    const fresh = entries.filter((e) => e.text.trim() && !have.has(`${e.kind}\n${e.text.trim()}`));
    if (fresh.length === 0) return 0;
    await db.$transaction(
      fresh.map((e) =>
        db.missionMemory.create({
          data: { folder, kind: e.kind, text: e.text.trim(), createdAt: validDate(e.createdAt) ?? ctx.now() },
        }),
      ),
    );
    await written(folder);
    return fresh.length;
  }

  return { list, add, update, remove, guidance, compile, importEntries, folderOf };
}

function validDate(s: string | undefined): Date | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
