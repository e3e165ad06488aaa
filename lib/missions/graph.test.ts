import { describe, expect, test } from "vitest";
import { criticalPath, dependentsOf, findCycle, layers, topoOrder } from "./graph";

const diamond = [
  { id: "a", dependsOn: [] },
  { id: "b", dependsOn: ["a"] },
  { id: "c", dependsOn: ["a"] },
  { id: "d", dependsOn: ["b", "c"] },
  { id: "e", dependsOn: [] },
];

describe("graph", () => {
  test("findCycle names the cycle, first id repeated; null without one", () => {
    expect(findCycle(diamond)).toBeNull();
    expect(
      findCycle([
        { id: "x", dependsOn: [] },
        { id: "a", dependsOn: ["c"] },
        { id: "b", dependsOn: ["a"] },
        { id: "c", dependsOn: ["b"] },
      ]),
    ).toEqual(["a", "c", "b", "a"]);
    expect(findCycle([{ id: "s", dependsOn: ["s"] }])).toEqual(["s", "s"]);
    expect(findCycle([{ id: "a", dependsOn: ["missing"] }])).toBeNull();
  });

  test("topoOrder: dependencies first, the given order otherwise", () => {
    expect(topoOrder([{ id: "d", dependsOn: ["b", "c"] }, ...diamond.filter((f) => f.id !== "d")])).toEqual(["a", "b", "c", "d", "e"]);
    expect(topoOrder(diamond)).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("dependentsOf is transitive", () => {
    expect(dependentsOf(diamond, "a")).toEqual(["b", "c", "d"]);
    expect(dependentsOf(diamond, "c")).toEqual(["d"]);
    expect(dependentsOf(diamond, "e")).toEqual([]);
  });

  test("layers by longest path", () => {
    expect(layers(diamond)).toEqual([["a", "e"], ["b", "c"], ["d"]]);
    expect(
      layers([
        { id: "x", dependsOn: [] },
        { id: "y", dependsOn: ["x"] },
        { id: "z", dependsOn: ["x", "y"] },
      ]),
    ).toEqual([["x"], ["y"], ["z"]]);
  });

  test("criticalPath follows the heaviest chain", () => {
    const w: Record<string, number> = { a: 1, b: 5, c: 2, d: 1, e: 3 };
    expect(criticalPath(diamond, (id) => w[id]!)).toEqual({ path: ["a", "b", "d"], total: 7 });
    expect(criticalPath([], () => 1)).toEqual({ path: [], total: 0 });
  });
});
