import { correctionId, localDate } from "./ids";
import { json, type MissionFile } from "./layout";
import { compiledAt, learningsSummary, type MemoryEntry } from "./memory";
import type { MemoryView } from "./types";

/**
 * A project's memory as the reference CLI's files (v0.40.6, src/features/memory/adapters):
 * corrections as `memory/corrections/<YYYY-MM-DD-NNN>.json`, learnings as
 * `memory/learnings/raw/<date>-<ns>-<rand4>.json`, the compiled learnings as
 * `memory/learnings/_compiled.json`. Ours apply to every worker, so each correction is `hard`
 * (the reference injects hard ones always) with a few keywords from its text (its CLI requires
 * a trigger). `memory/maestro-app.json` lists the files we wrote, so removed entries' files go.
 */

const STOP = new Set(
  "the a an and or but of to in on at for with by from is are was were be been it its this that these those not no never always use do does did should must can will you your we our they them as if then than so".split(
    " ",
  ),
);

function keywords(text: string): string[] {
  const words = text
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 2 && !STOP.has(w));
  return [...new Set(words)].slice(0, 5);
}

export const MEMORY_SIDECAR = "memory/maestro-app.json";

export function memoryFiles(entries: MemoryView[]): MissionFile[] {
  const files: MissionFile[] = [];
  const ids = new Map<string, string>();
  const corrections = entries.filter((e) => e.kind === "correction").sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const taken: string[] = [];
  for (const c of corrections) {
    const id = correctionId(new Date(c.createdAt), taken);
    taken.push(id);
    const path = `memory/corrections/${id}.json`;
    ids.set(path, c.id);
    files.push({
      path,
      content: json({
        id,
        rule: c.text,
        source: c.text,
        trigger: { keywords: keywords(c.text), fileGlobs: [] },
        severity: "hard",
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      }),
    });
  }
  const learnings = entries.filter((e) => e.kind === "learning").sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const l of learnings) {
    const at = new Date(l.createdAt);
    // The reference names raw learnings by a nanosecond clock; ours is the creation time in ns, so the name stays put.
    const name = `${localDate(at)}-${at.getTime()}000000-${(l.id.replace(/[^a-z0-9]/gi, "").toLowerCase() + "0000").slice(-4)}`;
    const path = `memory/learnings/raw/${name}.json`;
    ids.set(path, l.id);
    files.push({ path, content: json({ sessionDate: l.createdAt.slice(0, 10), content: l.text }) });
  }
  if (learnings.length > 0) {
    const asEntries: MemoryEntry[] = learnings.map((l) => ({ kind: "learning", text: l.text, createdAt: l.createdAt }));
    files.push({
      path: "memory/learnings/_compiled.json",
      content: json({ compiledAt: compiledAt(asEntries), summary: learningsSummary(asEntries), rawCount: learnings.length }),
    });
  }
  files.push({ path: MEMORY_SIDECAR, content: json({ version: 1, files: files.map((f) => f.path), ids: Object.fromEntries(ids) }) });
  return files;
}

/**
 * Memory from `.maestro/memory/`: corrections (their rule), raw learnings (their content), and a
 * compiled summary the reference CLI wrote (one learning; ours is skipped, its raw entries are read).
 */
export function readMemoryFiles(files: Map<string, string>): { kind: "correction" | "learning"; text: string; createdAt: string }[] {
  const out: { kind: "correction" | "learning"; text: string; createdAt: string }[] = [];
  const read = (path: string): Record<string, unknown> | null => {
    try {
      const v = JSON.parse(files.get(path) ?? "") as unknown;
      return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const ours = read(MEMORY_SIDECAR);
  const oursFiles = new Set(Array.isArray(ours?.files) ? (ours.files as unknown[]).filter((f): f is string => typeof f === "string") : []);
  for (const path of [...files.keys()].sort()) {
    if (/^memory\/corrections\/[^/]+\.json$/.test(path)) {
      const c = read(path);
      if (c && typeof c.rule === "string" && c.rule.trim())
        out.push({
          kind: "correction",
          text: c.rule,
          createdAt: typeof c.createdAt === "string" ? c.createdAt : new Date(0).toISOString(),
        });
    } else if (/^memory\/learnings\/raw\/[^/]+\.json$/.test(path)) {
      const l = read(path);
      if (!l || typeof l.content !== "string" || !l.content.trim()) continue;
      const ns = /^\d{4}-\d{2}-\d{2}-(\d+)-/.exec(path.split("/").pop()!)?.[1];
      const ms = ns && ns.length > 6 ? Number(ns.slice(0, -6)) : NaN;
      const createdAt =
        Number.isFinite(ms) && ms > 946684800000 && ms < 4102444800000
          ? new Date(ms).toISOString()
          : typeof l.sessionDate === "string"
            ? `${l.sessionDate}T00:00:00.000Z`
            : new Date(0).toISOString();
      out.push({ kind: "learning", text: l.content, createdAt });
    } else if (path === "memory/learnings/_compiled.json" && !oursFiles.has(path)) {
      const c = read(path);
      if (c && typeof c.summary === "string" && c.summary.trim())
        out.push({
          kind: "learning",
          text: c.summary,
          createdAt: typeof c.compiledAt === "string" ? c.compiledAt : new Date(0).toISOString(),
        });
    }
  }
  return out;
}
