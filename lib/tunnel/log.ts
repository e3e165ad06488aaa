/**
 * Reading cloudflared's log. cloudflared writes zerolog console lines to stderr:
 *
 *   2024-01-24T21:46:28Z INF Requesting new quick Tunnel on trycloudflare.com...
 *   2024-01-24T21:46:31Z INF |  https://some-four-random-words.trycloudflare.com                |
 *   2024-01-24T21:46:33Z INF Registered tunnel connection connIndex=0 connection=… location=lax01 protocol=quic
 *   2024-01-24T21:46:28Z ERR Failed to serve quic connection error="…" connIndex=2
 *
 * plus a few bare lines (`failed to request quick Tunnel: …`) when it gives up before logging
 * is set up. Pure: one line in, what it tells us out.
 */
export type TunnelLogFact =
  | { kind: "quick-url"; url: string }
  | { kind: "connected"; location: string | null }
  | { kind: "error"; message: string }
  | { kind: "other" };

const QUICK_URL = /https:\/\/([a-z0-9-]+)\.trycloudflare\.com\b/i;
const LEVEL = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z?\s+(INF|WRN|ERR|FTL|DBG)\s+(.*)$/;

/** The api host itself appears in error lines; it is never the tunnel's address. */
const NOT_A_TUNNEL = new Set(["api"]);

export function parseTunnelLine(raw: string): TunnelLogFact {
  const line = raw.replace(/\x1b\[[0-9;]*m/g, "").trim();
  if (!line) return { kind: "other" };
  const level = LEVEL.exec(line);
  const body = level ? level[2]! : line;
  const url = QUICK_URL.exec(body);
  if (url && !NOT_A_TUNNEL.has(url[1]!.toLowerCase()) && !/^(failed|error)/i.test(body)) {
    return { kind: "quick-url", url: `https://${url[1]!.toLowerCase()}.trycloudflare.com` };
  }
  if (/^Registered tunnel connection\b/.test(body)) {
    return { kind: "connected", location: /\blocation=(\S+)/.exec(body)?.[1] ?? null };
  }
  if (level && (level[1] === "ERR" || level[1] === "FTL")) return { kind: "error", message: body };
  if (!level && /^(failed|error)\b/i.test(body)) return { kind: "error", message: body };
  return { kind: "other" };
}

/** The first quick-tunnel URL in a chunk of log text, or null. */
export function findQuickTunnelUrl(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const fact = parseTunnelLine(line);
    if (fact.kind === "quick-url") return fact.url;
  }
  return null;
}

/** The host name of a public URL (for the allowed-hosts list), or null when it is not one. */
export function publicHostname(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" ? u.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** A hostname a user typed for a named tunnel ("app.example.com", maybe with https://). */
export function normalizeHostname(input: string): string | null {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "");
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(s)) return null;
  return s;
}

/** Next wait after `failures` failed starts in a row: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(failures: number, baseMs = 1000, maxMs = 30_000): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** (failures - 1));
}
