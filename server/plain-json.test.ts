import superjson from "superjson";
import { describe, expect, test } from "vitest";
import { plainJson, transformer } from "./plain-json";

describe("the bridge's tRPC transformer", () => {
  test("a value marked plain is sent as { json } without a walk, and a superjson client reads it back unchanged", () => {
    const events = plainJson([{ id: 7, type: "text", data: { text: "hi", n: 1.5, ok: true, none: null }, at: "2026-11-23T12:00:00.000Z" }]);
    const wire = transformer.serialize(events);
    expect(wire).toEqual({ json: events });
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire)))).toEqual(events);
  });

  test("anything not marked still goes through superjson: Dates, Maps and undefined survive", () => {
    const value = { when: new Date("2026-11-23T12:00:00Z"), tags: new Map([["a", 1]]), gone: undefined };
    const wire = transformer.serialize(value);
    expect(wire).toHaveProperty("meta");
    const back = superjson.deserialize<typeof value>(JSON.parse(JSON.stringify(wire)));
    expect(back.when).toBeInstanceOf(Date);
    expect(back.tags.get("a")).toBe(1);
    expect("gone" in back).toBe(true);
  });

  test("marking is per object: a copy of a marked array is walked again", () => {
    const marked = plainJson([{ at: new Date(0) }]);
    expect(transformer.serialize(marked)).toEqual({ json: marked });
    expect(transformer.serialize([...marked])).toHaveProperty("meta");
  });

  test("input from clients is read with superjson", () => {
    expect(transformer.deserialize(superjson.serialize({ d: new Date(5) }))).toEqual({ d: new Date(5) });
  });
});
