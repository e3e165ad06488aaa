export interface Commit {
  sha: string;
  subject: string;
  author: string;
  /** Author time, milliseconds since the epoch. */
  time: number;
}

/** Fields are split by US (0x1f), records by NUL: neither can appear in a subject or a name. */
export const LOG_FORMAT = "%H%x1f%an%x1f%at%x1f%s";

/** Parses `git log -z --format=LOG_FORMAT`. */
export function parseLog(out: string): Commit[] {
  const commits: Commit[] = [];
  for (const rec of out.split("\0")) {
    const r = rec.replace(/^\n/, "");
    if (!r) continue;
    const [sha, author, at, ...rest] = r.split("\x1f");
    if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
    commits.push({ sha, author: author ?? "", time: Number(at) * 1000, subject: rest.join("\x1f") });
  }
  return commits;
}

/** "3 min ago", "2 d ago": short enough for a phone row. */
export function relativeTime(time: number, now: number): string {
  const s = Math.max(0, Math.round((now - time) / 1000));
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 60) return `${d} d ago`;
  const mo = Math.round(d / 30);
  if (mo < 24) return `${mo} mo ago`;
  return `${Math.round(d / 365)} y ago`;
}
