/** The hosts whose "new pull request" page Maestro knows how to link to. */
export type RemoteHost = "github" | "gitlab" | "bitbucket";

/** A remote URL read apart: where it is hosted and which repository, credentials never kept. */
export interface ParsedRemote {
  /** The host's name (`github.com`), lower-cased; null for a local path. */
  host: string | null;
  /** The repository's path on the host without `.git` (`acme/app`, `group/sub/app`). */
  repoPath: string | null;
  /** Which known host this is, `other` for an unknown one, `local` for a path or `file://` URL. */
  kind: RemoteHost | "other" | "local";
  /** The URL as it can be shown: user name and password removed. */
  display: string;
}

const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;

/** Which known host a host name is: the public ones and names that start with their brand (gitlab.example.com). */
function hostKind(host: string): RemoteHost | "other" {
  if (host === "github.com" || host === "www.github.com" || host === "ssh.github.com") return "github";
  if (host === "gitlab.com" || host.startsWith("gitlab.")) return "gitlab";
  if (host === "bitbucket.org" || host === "www.bitbucket.org") return "bitbucket";
  return "other";
}

function cleanRepoPath(p: string): string | null {
  const trimmed = p
    .replace(/^\/+/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
  const parts = trimmed.split("/");
  if (parts.length < 2 || parts.some((x) => x === "" || x === "." || x === "..")) return null;
  return trimmed;
}

/**
 * Reads a remote URL as git accepts it: `https://user:token@host/o/r.git`, `ssh://git@host:22/o/r.git`,
 * scp-like `git@host:o/r.git`, `git://`, or a local path / `file://` URL. Never throws.
 */
export function parseRemoteUrl(raw: string): ParsedRemote {
  const url = raw.trim();
  if (url === "" || url.startsWith("/") || url.startsWith(".") || url.startsWith("~") || /^file:/i.test(url) || /^[A-Za-z]:[\\/]/.test(url))
    return { host: null, repoPath: null, kind: "local", display: url };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { host: null, repoPath: null, kind: "other", display: url.replace(/\/\/[^@/]*@/, "//") };
    }
    const host = u.hostname.toLowerCase();
    const repoPath = cleanRepoPath(decodeURIComponent(u.pathname));
    u.username = "";
    u.password = "";
    return { host, repoPath, kind: hostKind(host), display: u.toString() };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp) {
    const host = scp[2]!.toLowerCase();
    return { host, repoPath: cleanRepoPath(scp[3]!), kind: hostKind(host), display: `${host}:${scp[3]}` };
  }
  return { host: null, repoPath: null, kind: "local", display: url };
}

/** The web address of a repository on its host, for links (https, whatever protocol git uses). */
function webBase(r: ParsedRemote): string {
  return `https://${r.host === "ssh.github.com" || r.host === "www.github.com" ? "github.com" : r.host}/${r.repoPath}`;
}

const enc = (s: string) => encodeURIComponent(s);
/** Encodes a branch for a URL path, keeping `/` (hosts take `feature/x` as it is). */
const encPath = (s: string) => s.split("/").map(enc).join("/");

/**
 * The host's "open a pull request from `branch` into `base`" page, or null with the reason when
 * the remote is not on a host Maestro knows (a local path, a self-hosted server of unknown kind).
 */
export function compareUrl(remoteUrl: string, base: string, branch: string): { url: string } | { url: null; reason: string } {
  const r = parseRemoteUrl(remoteUrl);
  if (r.kind === "local")
    return { url: null, reason: "The remote is a folder on this machine, so there is no web page to open a pull request on." };
  if (r.kind === "other" || !r.host)
    return {
      url: null,
      reason: `Maestro does not know how to open a pull request on ${r.host ?? "this host"} (it knows GitHub, GitLab and Bitbucket).`,
    };
  if (!r.repoPath) return { url: null, reason: `The remote URL ${r.display} does not name a repository (owner/name).` };
  const web = webBase(r);
  if (r.kind === "github") return { url: `${web}/compare/${encPath(base)}...${encPath(branch)}?expand=1` };
  if (r.kind === "gitlab")
    return {
      url: `${web}/-/merge_requests/new?merge_request[source_branch]=${enc(branch)}&merge_request[target_branch]=${enc(base)}`,
    };
  return { url: `${web}/pull-requests/new?source=${enc(branch)}&dest=${enc(base)}` };
}
