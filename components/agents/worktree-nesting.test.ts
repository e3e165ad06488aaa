import { expect, test } from "vitest";
import { nestAgents } from "./worktree-nesting";

const a = (id: string, parentId: string | null = null) => ({ id, parentId });
const shape = (list: ReturnType<typeof nestAgents<{ id: string; parentId: string | null }>>) => list.map((x) => `${x.agent.id}:${x.depth}`);

test("children follow their parent, nested, siblings in the given order", () => {
  expect(shape(nestAgents([a("c1", "p"), a("q"), a("p"), a("c2", "p"), a("g", "c1")]))).toEqual(["q:0", "p:0", "c1:1", "g:2", "c2:1"]);
});

test("an agent whose parent is elsewhere (or gone) stays at the top level; a cycle still shows every agent once", () => {
  expect(shape(nestAgents([a("x", "missing"), a("y")]))).toEqual(["x:0", "y:0"]);
  expect(shape(nestAgents([a("m", "n"), a("n", "m")]))).toEqual(["m:0", "n:1"]);
});
