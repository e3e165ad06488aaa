import { describe, expect, test } from "vitest";
import { epochToIso, parseResetsAt, zonedToUtc } from "./reset-time";

const NOW = new Date("2026-03-10T10:00:00Z"); // 11:00 in Paris, 06:00 in New York

describe("parseResetsAt", () => {
  test.each<[string, string, string | undefined, string | undefined]>([
    [
      "ISO stamp (opencode)",
      "Rate limit exceeded: usage limit reached, resets at 2026-03-10T10:01:00.000Z",
      undefined,
      "2026-03-10T10:01:00.000Z",
    ],
    ["ISO with offset", "resets at 2026-03-10T12:00:00+02:00", undefined, "2026-03-10T10:00:00.000Z"],
    ["claude's old epoch form", "Claude AI usage limit reached|1773137400", undefined, "2026-03-10T10:10:00.000Z"],
    ["relative seconds (gemini)", "Your quota will reset after 59s.", undefined, "2026-03-10T10:00:59.000Z"],
    ["relative compound", "Please retry in 1h2m3s", undefined, "2026-03-10T11:02:03.000Z"],
    [
      "relative words (codex)",
      "You've hit your usage limit. Try again in 2 days 3 hours 5 minutes.",
      undefined,
      "2026-03-12T13:05:00.000Z",
    ],
    ["fractional seconds", "Please retry in 32.5s.", undefined, "2026-03-10T10:00:32.500Z"],
    ["clock with zone (claude)", "You've hit your limit · resets 3:47pm (Europe/Paris)", undefined, "2026-03-10T14:47:00.000Z"],
    ["clock hour only, process zone", "5-hour limit reached ∙ resets 3pm", "America/New_York", "2026-03-10T19:00:00.000Z"],
    ["clock already past today → tomorrow", "resets 9am (UTC)", undefined, "2026-03-11T09:00:00.000Z"],
    ["clock a minute ago (rounding) → today", "resets 9:58am (UTC)", undefined, "2026-03-10T09:58:00.000Z"],
    ["codex dated form in the CLI's zone", "or try again at Mar 10th, 2026 3:39 PM.", "Asia/Tokyo", "2026-03-10T06:39:00.000Z"],
    ["dated without year", "Weekly limit reached · resets Mar 14, 10am (UTC)", undefined, "2026-03-14T10:00:00.000Z"],
    ["24h clock", "try again at 18:30", "UTC", "2026-03-10T18:30:00.000Z"],
    ["an unknown zone falls back to the given one", "resets 3pm (Mars/Olympus)", "UTC", "2026-03-10T15:00:00.000Z"],
    ["no time named", "You've hit your limit.", undefined, undefined],
    ["numbers that aren't times", "Rate limit: 429 Too Many Requests (limit 50000 tokens per minute)", undefined, undefined],
  ])("%s", (_name, text, timeZone, want) => {
    expect(parseResetsAt(text, { now: NOW, timeZone })).toBe(want);
  });

  test("DST: the wall clock in New York across the March change", () => {
    expect(new Date(zonedToUtc(2026, 2, 8, 3, 30, "America/New_York")).toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(new Date(zonedToUtc(2026, 2, 7, 3, 30, "America/New_York")).toISOString()).toBe("2026-03-07T08:30:00.000Z");
  });

  test("epochToIso takes seconds or milliseconds and refuses garbage", () => {
    expect(epochToIso(1773137400)).toBe("2026-03-10T10:10:00.000Z");
    expect(epochToIso(1773137400000)).toBe("2026-03-10T10:10:00.000Z");
    expect(epochToIso("1773137400")).toBe("2026-03-10T10:10:00.000Z");
    for (const bad of [undefined, 0, -5, Number.NaN, "soon", 1e20]) expect(epochToIso(bad as number)).toBeUndefined();
  });
});
