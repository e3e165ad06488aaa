/**
 * A bounded byte ring for terminal scrollback: keeps the newest `capacity` bytes of output so a
 * client that reconnects (a phone that slept, a reload) can redraw the screen. Chunks are kept
 * as they arrived and only the oldest one is ever trimmed, so a push costs O(1) amortised.
 */
const EMPTY = new Uint8Array(0);

export class ByteRing {
  private chunks: Uint8Array[] = [];
  private head = 0; // index of the oldest live chunk in `chunks`
  private bytes = 0;
  private droppedBytes = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError("capacity must be a positive integer");
  }

  /** Bytes held now (never more than `capacity`). */
  get size(): number {
    return this.bytes;
  }

  /** Bytes dropped from the front since the ring was made. */
  get dropped(): number {
    return this.droppedBytes;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (chunk.length >= this.capacity) {
      this.droppedBytes += this.bytes + chunk.length - this.capacity;
      this.chunks = [chunk.slice(chunk.length - this.capacity)];
      this.head = 0;
      this.bytes = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.capacity) {
      const first = this.chunks[this.head]!;
      const excess = this.bytes - this.capacity;
      if (first.length <= excess) {
        this.chunks[this.head++] = EMPTY; // let the dropped bytes be collected now

        this.bytes -= first.length;
        this.droppedBytes += first.length;
      } else {
        this.chunks[this.head] = first.subarray(excess);
        this.bytes -= excess;
        this.droppedBytes += excess;
      }
    }
    // Compact the array now and then so it does not grow without end.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Everything held, oldest first. When bytes were dropped the copy starts after the first line
   * break (if there is one near the front), so a replay never begins mid escape sequence or
   * mid UTF-8 character.
   */
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.bytes);
    let at = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      out.set(this.chunks[i]!, at);
      at += this.chunks[i]!.length;
    }
    if (this.droppedBytes === 0) return out;
    const limit = Math.min(out.length, 4096);
    for (let i = 0; i < limit; i++) if (out[i] === 0x0a) return out.subarray(i + 1);
    return out;
  }

  clear(): void {
    this.droppedBytes += this.bytes;
    this.chunks = [];
    this.head = 0;
    this.bytes = 0;
  }
}
