import { expect, test } from "vitest";
import "./zod-jitless";

test("zod picks up jitless from the global config set before it loads", async () => {
  const { z } = await import("zod");
  expect(z.config().jitless).toBe(true);
  // And schemas still parse (and refuse) without the JIT.
  const schema = z.object({ a: z.string() });
  expect(schema.parse({ a: "x" })).toEqual({ a: "x" });
  expect(schema.safeParse({ a: 1 }).success).toBe(false);
});
