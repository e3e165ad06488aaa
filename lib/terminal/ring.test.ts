import { describe, expect, test } from "vitest";
import { ByteRing } from "./ring";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("ByteRing", () => {
  test.each([
    { name: "keeps everything under capacity", cap: 10, pushes: ["abc", "def"], want: "abcdef", size: 6, dropped: 0 },
    { name: "trims the oldest bytes", cap: 5, pushes: ["abc", "def"], want: "bcdef", size: 5, dropped: 1 },
    { name: "drops whole chunks", cap: 4, pushes: ["ab", "cd", "ef"], want: "cdef", size: 4, dropped: 2 },
    { name: "one chunk larger than the ring keeps its tail", cap: 3, pushes: ["a", "bcdefg"], want: "efg", size: 3, dropped: 4 },
    { name: "empty pushes change nothing", cap: 3, pushes: ["", "ab", ""], want: "ab", size: 2, dropped: 0 },
  ])("$name", ({ cap, pushes, want, size, dropped }) => {
    const ring = new ByteRing(cap);
    for (const p of pushes) ring.push(bytes(p));
    expect(ring.size).toBe(size);
    expect(ring.dropped).toBe(dropped);
    // no line break near the front: the raw tail is returned
    expect(text(ring.snapshot())).toBe(want);
  });

  test("after a drop the replay starts at a line boundary", () => {
    const ring = new ByteRing(12);
    ring.push(bytes("line one\nline two\nthree\n"));
    expect(text(ring.snapshot())).toBe("three\n");
  });

  test("never holds more than its capacity under a flood", () => {
    const ring = new ByteRing(1000);
    const chunk = bytes("y\n".repeat(37));
    for (let i = 0; i < 100_000; i++) ring.push(chunk);
    expect(ring.size).toBe(1000);
    expect(ring.dropped).toBe(100_000 * chunk.length - 1000);
    expect(text(ring.snapshot())).toMatch(/^(y\n)+$/);
  });

  test("holds copies: a pushed buffer reused by its owner does not change the scrollback", () => {
    const ring = new ByteRing(16);
    const batch = bytes("first\n");
    ring.push(batch);
    batch.set(bytes("XXXXXX"));
    ring.push(bytes("second\n"));
    expect(text(ring.snapshot())).toBe("first\nsecond\n");
  });

  test("wrapping round its buffer keeps exactly the newest bytes, whatever the chunk sizes", () => {
    // A model to compare with: the whole output, cut to the newest `cap` bytes.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (const cap of [1, 7, 100, 70_000, 200_000]) {
      const ring = new ByteRing(cap);
      let all = "";
      for (let i = 0; i < 300; i++) {
        const piece = String.fromCharCode(97 + (i % 26)).repeat(random(cap < 100 ? 12 : 9000));
        ring.push(bytes(piece));
        all += piece;
      }
      expect(ring.size).toBe(Math.min(cap, all.length));
      expect(ring.dropped).toBe(all.length - ring.size);
      // No line breaks in the output, so the snapshot is the raw tail.
      expect(text(ring.snapshot())).toBe(all.slice(all.length - ring.size));
    }
  });

  test("a quiet terminal holds little: the buffer grows with the output, up to the capacity", () => {
    const ring = new ByteRing(2 * 1024 * 1024);
    ring.push(bytes("$ "));
    expect(ring.allocated).toBe(64 * 1024);
    const block = new Uint8Array(100_000).fill(0x79);
    for (let i = 0; i < 100; i++) ring.push(block);
    expect(ring.allocated).toBe(2 * 1024 * 1024);
    expect(ring.size).toBe(2 * 1024 * 1024);
  });

  test("clear empties it", () => {
    const ring = new ByteRing(10);
    ring.push(bytes("abc"));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.snapshot().length).toBe(0);
  });

  test("a bad capacity is refused", () => {
    expect(() => new ByteRing(0)).toThrow(RangeError);
  });
});
