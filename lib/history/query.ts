/** Pure helpers for reading History: LIKE patterns, cursors, day keys. */

/** A SQLite LIKE pattern that matches `text` literally anywhere (use with `ESCAPE '\'`). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface HistoryCursor {
  createdAt: Date;
  id: string;
}

/** A stable page cursor: the last row's time and id (ids break ties between equal times). */
export function encodeCursor(c: HistoryCursor): string {
  return `${c.createdAt.getTime()}_${c.id}`;
}

export function decodeCursor(s: string): HistoryCursor | null {
  const m = /^(\d{1,15})_([A-Za-z0-9-]{1,64})$/.exec(s);
  if (!m) return null;
  return { createdAt: new Date(Number(m[1])), id: m[2]! };
}

/** "2026-11-23" for a time in a zone `offsetMinutes` east of UTC (the browser's local day). */
export function dayKey(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive ("YYYY-MM-DD" keys), for a chart with no gaps. */
export function daysBetween(from: string, to: string, maxDays = 366): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < maxDays; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
