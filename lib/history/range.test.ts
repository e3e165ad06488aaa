import { describe, expect, test } from "vitest";
import { daysBetween, dayKey, decodeCursor, encodeCursor, likeContains } from "./query";
import { dayLabel, groupByDay, localDayKey, rangeStart } from "./range";

const now = new Date(2026, 10, 23, 15, 30); // 23 Nov 2026, 15:30 local

describe("rangeStart", () => {
  test.each([
    ["today", new Date(2026, 10, 23)],
    ["7d", new Date(2026, 10, 17)],
    ["30d", new Date(2026, 9, 25)],
    ["all", undefined],
  ] as const)("%s", (preset, expected) => {
    expect(rangeStart(preset, now)).toEqual(expected);
  });
});

describe("groupByDay", () => {
  test("keeps order and splits at local midnight", () => {
    const items = [new Date(2026, 10, 23, 9), new Date(2026, 10, 23, 0, 1), new Date(2026, 10, 22, 23, 59), new Date(2026, 10, 20, 12)].map(
      (createdAt, i) => ({ i, createdAt }),
    );
    expect(groupByDay(items).map((g) => [g.day, g.items.map((x) => x.i)])).toEqual([
      ["2026-11-23", [0, 1]],
      ["2026-11-22", [2]],
      ["2026-11-20", [3]],
    ]);
    expect(groupByDay([])).toEqual([]);
  });
});

describe("dayLabel", () => {
  test.each([
    ["2026-11-23", "Today"],
    ["2026-11-22", "Yesterday"],
    ["2026-11-01", "2026-11-01!"],
  ])("%s → %s", (day, expected) => {
    expect(dayLabel(day, now, (d) => `${localDayKey(d)}!`)).toBe(expected);
  });
});

describe("query helpers", () => {
  test.each([
    ["plain", "%plain%"],
    ["100%", "%100\\%%"],
    ["a_b", "%a\\_b%"],
    ["back\\slash", "%back\\\\slash%"],
  ])("likeContains(%j)", (text, expected) => {
    expect(likeContains(text)).toBe(expected);
  });

  test("cursors round-trip and forged ones are refused", () => {
    const c = { createdAt: new Date("2026-01-02T03:04:05.678Z"), id: "cm3abc123" };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor("x_y")).toBeNull();
    expect(decodeCursor("123_a b")).toBeNull();
    expect(decodeCursor("")).toBeNull();
  });

  test("dayKey shifts by the zone offset; daysBetween fills gaps", () => {
    expect(dayKey(new Date("2026-03-10T23:30:00Z"), 0)).toBe("2026-03-10");
    expect(dayKey(new Date("2026-03-10T23:30:00Z"), 60)).toBe("2026-03-11");
    expect(dayKey(new Date("2026-03-10T00:30:00Z"), -60)).toBe("2026-03-09");
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(daysBetween("2026-03-02", "2026-03-01")).toEqual([]);
    expect(daysBetween("2026-01-01", "2026-12-31", 5)).toHaveLength(5);
  });
});
