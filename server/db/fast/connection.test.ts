import { describe, expect, test } from "vitest";
import { cuid, fromSqlDate, sqlDate } from "./connection";

describe("fast SQLite helpers", () => {
  test("cuid: Prisma's shape, unique, increasing within a process", () => {
    const ids = Array.from({ length: 2000 }, () => cuid());
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Same millisecond: the counter keeps them in order (except where it wraps, once per 36^4).
    const wraps = ids.slice(1).filter((id, i) => id < ids[i]!).length;
    expect(wraps).toBeLessThanOrEqual(1);
  });

  test("dates round-trip in Prisma's stored form", () => {
    const d = new Date("2026-03-04T05:06:07.089Z");
    expect(sqlDate(d)).toBe("2026-03-04T05:06:07.089+00:00");
    expect(fromSqlDate(sqlDate(d))!.getTime()).toBe(d.getTime());
    expect(fromSqlDate(null)).toBeNull();
  });
});
