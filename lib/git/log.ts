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
