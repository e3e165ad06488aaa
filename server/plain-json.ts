import superjson from "superjson";

/**
 * superjson walks every value it sends to find Dates, Maps and the like. Stream events are
 * plain JSON by construction (their times are ISO strings), and at twenty busy agents the walk
 * was a tenth of the bridge's CPU. A value marked here is sent as superjson's `{ json }` with
 * no annotations, which any superjson client reads back unchanged.
 */
const plain = new WeakSet<object>();

/** Marks `value` as plain JSON (nothing but objects, arrays, strings, finite numbers, booleans, null). */
export function plainJson<T extends object>(value: T): T {
  plain.add(value);
  return value;
}

/** The bridge's tRPC transformer: superjson, minus the walk for values marked plain. */
export const transformer = {
  serialize(value: unknown) {
    if (typeof value === "object" && value !== null && plain.has(value)) return { json: value };
    return superjson.serialize(value);
  },
  deserialize(value: unknown) {
    return superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]);
  },
};
