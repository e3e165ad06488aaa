/** Date-range presets and day grouping for the History timeline: pure, `now` passed in. */

export const RANGE_PRESETS = ["today", "7d", "30d", "all"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_LABELS: Record<RangePreset, string> = { today: "Today", "7d": "7 days", "30d": "30 days", all: "All" };

/** Local midnight of the day `daysBack` days before `now`'s day. */
function startOfLocalDay(now: Date, daysBack: number): Date {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
  return d;
}

/** Where a preset starts (local midnight), or undefined for "all". "7 days" is today and the 6 before. */
export function rangeStart(preset: RangePreset, now: Date): Date | undefined {
  switch (preset) {
    case "today":
      return startOfLocalDay(now, 0);
    case "7d":
      return startOfLocalDay(now, 6);
    case "30d":
      return startOfLocalDay(now, 29);
    case "all":
      return undefined;
  }
}

/** "2026-11-23" in local time: the key of the day an entry is grouped under. */
export function localDayKey(at: Date): string {
  const y = at.getFullYear();
  const m = String(at.getMonth() + 1).padStart(2, "0");
  const d = String(at.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** Consecutive runs of items on the same local day, in the order given (newest first). */
export function groupByDay<T extends { createdAt: Date }>(items: readonly T[]): { day: string; items: T[] }[] {
  const groups: { day: string; items: T[] }[] = [];
  for (const item of items) {
    const day = localDayKey(item.createdAt);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** "Today", "Yesterday", or the date, for a day heading. */
export function dayLabel(day: string, now: Date, format: (d: Date) => string): string {
  if (day === localDayKey(now)) return "Today";
  if (day === localDayKey(startOfLocalDay(now, 1))) return "Yesterday";
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return format(new Date(y, m - 1, d));
}
