const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

let rtf: Intl.RelativeTimeFormat | null = null;

/** "just now", "5 minutes ago", "yesterday", "in 2 hours". Pure apart from Intl. */
export function relativeTime(date: Date | string | number, now: number = Date.now()): string {
  const then = new Date(date).getTime();
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  rtf ??= new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds / 60) || -1, "minute");
}

let dateFmt: Intl.DateTimeFormat | null = null;
let dateTimeFmt: Intl.DateTimeFormat | null = null;

export function formatDate(date: Date | string | number): string {
  dateFmt ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  return dateFmt.format(new Date(date));
}

export function formatDateTime(date: Date | string | number): string {
  dateTimeFmt ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return dateTimeFmt.format(new Date(date));
}
