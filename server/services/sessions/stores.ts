import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A conversation found in a provider's own session store (started in or outside Maestro). */
export interface StoreSession {
  provider: "claude" | "codex" | "simulator";
  sessionId: string;
  title: string;
  updatedAt: Date;
  file: string;
}

const MAX_FILES = 500;
const HEAD_BYTES = 64 * 1024;

async function readHead(file: string, bytes = HEAD_BYTES): Promise<string> {
  const handle = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** At most this many files of one folder are dated: a runaway folder costs no more than that. */
const MAX_STATTED = 20_000;

/**
 * Names of the files in `dir` with that ending, the newest MAX_FILES of them (by modification
 * time: the order readdir gives is the file system's, not the user's); none when unreadable.
 */
async function filesEndingWith(dir: string, ending: string, max = MAX_FILES): Promise<string[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(ending));
  } catch {
    return [];
  }
  if (names.length <= max) return names;
  const dated = await Promise.all(
    names.slice(0, MAX_STATTED).map(async (name) => ({
      name,
      at: await fs.stat(path.join(dir, name)).then(
        (st) => st.mtimeMs,
        () => 0,
      ),
    })),
  );
  return dated
    .sort((a, b) => b.at - a.at)
    .slice(0, max)
    .map((d) => d.name);
}

function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === "object" && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      /* partial or foreign line */
    }
  }
  return out;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((c) => (c && typeof c === "object" && typeof (c as { text?: unknown }).text === "string" ? (c as { text: string }).text : ""))
      .join(" ");
  }
  return "";
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim().slice(0, 120);

/** claude: ~/.claude/projects/<cwd with every non-alphanumeric char as "-">/<session id>.jsonl */
export async function claudeSessions(folder: string, home = os.homedir()): Promise<StoreSession[]> {
  const dir = path.join(home, ".claude", "projects", folder.replace(/[^A-Za-z0-9]/g, "-"));
  const out: StoreSession[] = [];
  for (const name of await filesEndingWith(dir, ".jsonl")) {
    const file = path.join(dir, name);
    try {
      const [stat, head] = await Promise.all([fs.stat(file), readHead(file)]);
      const lines = jsonLines(head);
      // The encoded directory is lossy: trust the cwd recorded in the transcript when present.
      const cwd = lines.find((l) => typeof l.cwd === "string")?.cwd;
      if (cwd && cwd !== folder) continue;
      const summary = lines.find((l) => l.type === "summary" && typeof l.summary === "string")?.summary as string | undefined;
      const firstUser = lines.find((l) => l.type === "user" && textOf((l.message as { content?: unknown } | undefined)?.content).trim());
      const title = summary ?? textOf((firstUser?.message as { content?: unknown } | undefined)?.content);
      out.push({
        provider: "claude",
        sessionId: name.slice(0, -".jsonl".length),
        title: oneLine(title) || "(untitled)",
        updatedAt: stat.mtime,
        file,
      });
    } catch {
      /* unreadable file: skip */
    }
  }
  return out;
}

/** codex: ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl, first line session_meta {id, cwd}. */
export async function codexSessions(folder: string, codexHome: string): Promise<StoreSession[]> {
  const root = path.join(codexHome, "sessions");
  const files: string[] = [];
  async function walk(dir: string, depth: number) {
    if (files.length >= MAX_FILES) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Newest first: the date folders sort by name.
    for (const e of entries.sort((a, b) => b.name.localeCompare(a.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) await walk(p, depth + 1);
      else if (e.isFile() && /^rollout-.*\.jsonl$/.test(e.name)) files.push(p);
    }
  }
  await walk(root, 0);
  const out: StoreSession[] = [];
  for (const file of files) {
    try {
      const [stat, head] = await Promise.all([fs.stat(file), readHead(file)]);
      const lines = jsonLines(head);
      const meta = lines.find((l) => l.type === "session_meta")?.payload as { id?: string; cwd?: string } | undefined;
      if (!meta?.id || meta.cwd !== folder) continue;
      const firstUser = lines
        .map((l) => l.payload as { type?: string; role?: string; content?: unknown } | undefined)
        .find((p) => p?.type === "message" && p.role === "user" && !textOf(p.content).startsWith("<"));
      out.push({
        provider: "codex",
        sessionId: meta.id,
        title: oneLine(textOf(firstUser?.content)) || "(untitled)",
        updatedAt: stat.mtime,
        file,
      });
    } catch {
      /* skip */
    }
  }
  return out;
}

/** The bundled simulator's store: $MAESTRO_SIM_HOME/sessions/<id>.json with cwd and turns. */
export async function simulatorSessions(folder: string, simHome: string): Promise<StoreSession[]> {
  const dir = path.join(simHome, "sessions");
  const out: StoreSession[] = [];
  for (const name of await filesEndingWith(dir, ".json")) {
    const file = path.join(dir, name);
    try {
      const rec = JSON.parse(await fs.readFile(file, "utf8")) as { id: string; cwd: string; updated: string; turns: { prompt: string }[] };
      if (rec.cwd !== folder) continue;
      out.push({
        provider: "simulator",
        sessionId: rec.id,
        title: oneLine(rec.turns[0]?.prompt ?? "") || "(untitled)",
        updatedAt: new Date(rec.updated),
        file,
      });
    } catch {
      /* skip */
    }
  }
  return out;
}

/** Full-text search inside a store file (bounded read). */
export async function fileContains(file: string, needle: string, maxBytes = 8 * 1024 * 1024): Promise<boolean> {
  try {
    return (await readHead(file, maxBytes)).toLowerCase().includes(needle.toLowerCase());
  } catch {
    return false;
  }
}
