import { expect, test } from "vitest";
import { createPresence, PRESENCE_TTL_MS } from "./presence";

test.each([
  { name: "nobody reported", reports: [], at: 0, visible: false },
  { name: "one visible now", reports: [["a", true, 0]], at: 1000, visible: true },
  {
    name: "visible, then hidden",
    reports: [
      ["a", true, 0],
      ["a", false, 10],
    ],
    at: 20,
    visible: false,
  },
  {
    name: "one hidden, another visible",
    reports: [
      ["a", true, 0],
      ["b", true, 0],
      ["a", false, 5],
    ],
    at: 10,
    visible: true,
  },
  { name: "a visible report expires without a heartbeat", reports: [["a", true, 0]], at: PRESENCE_TTL_MS + 1, visible: false },
  {
    name: "a heartbeat renews it",
    reports: [
      ["a", true, 0],
      ["a", true, 50_000],
    ],
    at: PRESENCE_TTL_MS + 1,
    visible: true,
  },
] as { name: string; reports: [string, boolean, number][]; at: number; visible: boolean }[])("$name", ({ reports, at, visible }) => {
  let clock = 0;
  const presence = createPresence(() => clock);
  for (const [id, v, t] of reports) {
    clock = t;
    presence.report(id, v);
  }
  clock = at;
  expect(presence.anyVisible()).toBe(visible);
});
