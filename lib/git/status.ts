/** An agent's folder as git sees it: where HEAD is, how it stands against its upstream, what changed. */
export interface GitStatus {
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  /** HEAD's commit, shortened (7 characters); null before the first commit. */
  sha: string | null;
  /** The branch's upstream (`origin/main`); null when none is set. */
  upstream: string | null;
  /** Commits on HEAD not on the upstream, and the reverse (0 without an upstream or when it is gone). */
  ahead: number;
  behind: number;
  /** Files with changes in the index, in the work tree, new and not tracked, and unmerged. */
  staged: number;
  unstaged: number;
  untracked: number;
  conflicted: number;
  /** Files with any change at all (a file both staged and edited counts once). */
  dirty: number;
}

/**
 * Parses `git status --porcelain=v2 --branch -z`. With -z every record ends in NUL and paths are
 * never quoted, so spaces and newlines in names cannot split a record; a rename or copy record is
 * followed by one more NUL-ended field (the original path), skipped here.
 */
export function parseStatusV2(out: string): GitStatus {
  const s: GitStatus = {
    branch: null,
    sha: null,
    upstream: null,
    ahead: 0,
    behind: 0,
    staged: 0,
    unstaged: 0,
    untracked: 0,
    conflicted: 0,
    dirty: 0,
  };
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const rec = fields[i]!;
    if (rec === "") continue;
    const kind = rec[0];
    if (kind === "#") header(s, rec);
    else if (kind === "1" || kind === "2") {
      const xy = rec.slice(2, 4);
      if (xy[0] !== ".") s.staged++;
      if (xy[1] !== ".") s.unstaged++;
      s.dirty++;
      // The original path of a rename or copy is its own field.
      if (kind === "2") i++;
    } else if (kind === "u") {
      s.conflicted++;
      s.dirty++;
    } else if (kind === "?") {
      s.untracked++;
      s.dirty++;
    }
    // `!` (ignored) is only printed on request and changes nothing here.
  }
  return s;
}

function header(s: GitStatus, rec: string) {
  const sp = rec.indexOf(" ", 2);
  if (sp < 0) return;
  const key = rec.slice(2, sp);
  const value = rec.slice(sp + 1);
  if (key === "branch.oid") s.sha = value === "(initial)" ? null : value.slice(0, 7);
  else if (key === "branch.head") s.branch = value === "(detached)" ? null : value;
  else if (key === "branch.upstream") s.upstream = value;
  else if (key === "branch.ab") {
    const m = /^\+(\d+) -(\d+)$/.exec(value);
    if (m) {
      s.ahead = Number(m[1]);
      s.behind = Number(m[2]);
    }
  }
}

/** Two statuses show the same thing (so an unchanged refresh announces nothing). */
export function sameStatus(a: GitStatus | null, b: GitStatus | null): boolean {
  if (a === null || b === null) return a === b;
  return (Object.keys(a) as (keyof GitStatus)[]).every((k) => a[k] === b[k]);
}
