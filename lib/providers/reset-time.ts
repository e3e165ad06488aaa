/**
 * When a rate limit lifts, read from whatever the CLI printed: an ISO stamp, an epoch, a
 * relative delay ("reset after 59s", "try again in 2 hours 5 minutes") or a local clock time
 * ("resets 3:47pm (Europe/Paris)", "try again at Mar 10th, 2026 3:39 AM"). Pure: the clock and
 * the zone are passed in.
 */

export interface ResetClock {
  now: Date;
  /** The zone clock times without "(Zone)" are in. Default: this process's zone. */
  timeZone?: string;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ISO string of when the limit resets, or undefined when the text names no time. */
export function parseResetsAt(text: string, clock: ResetClock): string | undefined {
  if (!text) return undefined;
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  const at = absoluteStamp(t) ?? relative(t, clock.now) ?? clockTime(t, clock);
  return at === undefined || !Number.isFinite(at) ? undefined : new Date(at).toISOString();
}

/** Epoch seconds or milliseconds (as some headers and events carry) → ISO. */
export function epochToIso(v: number | string | undefined): string | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  if (n === undefined || !Number.isFinite(n) || n <= 0) return undefined;
  const ms = n > 1e12 ? n : n * 1000;
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}

function absoluteStamp(t: string): number | undefined {
  const iso = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/.exec(t);
  if (iso) {
    const ms = Date.parse(iso[0]);
    if (Number.isFinite(ms)) return ms;
  }
  // claude's older "Claude AI usage limit reached|1760000000"
  const pipe = /limit[^|\n]{0,40}\|\s*(\d{10,13})\b/i.exec(t);
  if (pipe) {
    const iso2 = epochToIso(pipe[1]);
    if (iso2) return Date.parse(iso2);
  }
  return undefined;
}

function unitOf(u: string): number {
  const s = u.toLowerCase();
  if (s === "ms" || s.startsWith("milli")) return UNIT_MS.ms!;
  if (s.startsWith("s")) return UNIT_MS.s!;
  if (s.startsWith("m")) return UNIT_MS.m!;
  if (s.startsWith("h")) return UNIT_MS.h!;
  return UNIT_MS.d!;
}

function relative(t: string, now: Date): number | undefined {
  const m =
    /\b(?:resets?|retry|try again|available)\b[^.\d\n]{0,24}?\b(?:after|in)\s+((?:\d+(?:\.\d+)?\s*(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])[\s,]*(?:and\s+)?)+)/i.exec(
      t,
    );
  if (!m) return undefined;
  let ms = 0;
  for (const p of m[1]!.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) ms += Number(p[1]) * unitOf(p[2]!);
  return ms > 0 ? now.getTime() + Math.ceil(ms) : undefined;
}

function validZone(z: string | undefined): string | undefined {
  if (!z) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: z });
    return z;
  } catch {
    return undefined;
  }
}

function defaultZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Wall-clock fields of an instant in a zone. */
function fieldsIn(ms: number, zone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get("year"), mo: get("month") - 1, d: get("day"), h: get("hour") % 24, mi: get("minute"), s: get("second") };
}

/** The instant when the wall clock in `zone` shows y-mo-d h:mi (DST-safe to the minute). */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, zone: string): number {
  const wall = Date.UTC(y, mo, d, h, mi);
  const offset = (ms: number) => {
    const f = fieldsIn(ms, zone);
    return Date.UTC(f.y, f.mo, f.d, f.h, f.mi, f.s) - Math.floor(ms / 1000) * 1000;
  };
  let t = wall - offset(wall);
  t = wall - offset(t);
  return t;
}

function clockTime(t: string, clock: ResetClock): number | undefined {
  const key = /\b(?:resets?|try again|retry|available again)\b/i.exec(t);
  if (!key) return undefined;
  const tail = t.slice(key.index, key.index + 200);
  const zoneMatch = /\(([A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*)\)/.exec(tail);
  const zone = validZone(zoneMatch?.[1]) ?? validZone(clock.timeZone) ?? defaultZone();
  const nowMs = clock.now.getTime();
  const today = fieldsIn(nowMs, zone);

  const dated =
    /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})?,?\s*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/i.exec(
      tail,
    );
  if (dated && (dated[5] !== undefined || dated[6] !== undefined)) {
    const mo = MONTHS.indexOf(dated[1]!.toLowerCase().slice(0, 3));
    const h = to24(Number(dated[4]), dated[6]);
    const mi = Number(dated[5] ?? 0);
    if (mo >= 0 && h !== undefined && mi < 60) {
      const y = dated[3] ? Number(dated[3]) : today.y;
      let at = zonedToUtc(y, mo, Number(dated[2]), h, mi, zone);
      if (!dated[3] && at < nowMs - 86_400_000) at = zonedToUtc(y + 1, mo, Number(dated[2]), h, mi, zone);
      return at;
    }
  }
  const hm = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/i.exec(tail) ?? /\b([01]?\d|2[0-3]):([0-5]\d)\b/.exec(tail);
  if (!hm) return undefined;
  const h = to24(Number(hm[1]), hm[3]);
  const mi = Number(hm[2] ?? 0);
  if (h === undefined || mi >= 60) return undefined;
  let at = zonedToUtc(today.y, today.mo, today.d, h, mi, zone);
  // A clock time just passed (the CLI rounds to the minute) is today; one well past is tomorrow.
  if (at < nowMs - 5 * 60_000) at = zonedToUtc(today.y, today.mo, today.d + 1, h, mi, zone);
  return at;
}

function to24(h: number, ampm: string | undefined): number | undefined {
  if (!Number.isFinite(h)) return undefined;
  if (ampm === undefined) return h < 24 ? h : undefined;
  if (h < 1 || h > 12) return undefined;
  return (h % 12) + (ampm.toLowerCase() === "pm" ? 12 : 0);
}
