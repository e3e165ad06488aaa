/**
 * A bounded byte ring for terminal scrollback: keeps the newest `capacity` bytes of output so a
 * client that reconnects (a phone that slept, a reload) can redraw the screen.
 *
 * Bytes are copied into one circular buffer, so a caller may reuse the chunk it pushed (the
 * terminal service lends the same batch buffer again and again: no allocation per batch, which
 * under a `cat` flood was page faults and garbage collection on the bridge's one thread). The
 * buffer starts at 64 KiB, so a quiet terminal holds little, and goes to `capacity` in one step
 * once the output outgrows it (each step copies what is held).
 */
const EMPTY = new Uint8Array(0);
const FIRST_ALLOCATION = 64 * 1024;

export class ByteRing {
  private buf: Uint8Array = EMPTY;
  private start = 0; // index in `buf` of the oldest byte held
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

  /** Memory the ring has allocated (grows with use, never past `capacity`). */
  get allocated(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (chunk.length >= this.capacity) {
      this.droppedBytes += this.bytes + chunk.length - this.capacity;
      if (this.buf.length < this.capacity) this.buf = new Uint8Array(this.capacity);
      this.buf.set(chunk.subarray(chunk.length - this.capacity));
      this.start = 0;
      this.bytes = this.capacity;
      return;
    }
    const needed = this.bytes + chunk.length;
    if (needed > this.buf.length && this.buf.length < this.capacity) {
      this.grow(this.buf.length === 0 ? Math.min(this.capacity, Math.max(needed, FIRST_ALLOCATION)) : this.capacity);
    }
    const excess = needed - this.buf.length;
    if (excess > 0) {
      this.start = (this.start + excess) % this.buf.length;
      this.bytes -= excess;
      this.droppedBytes += excess;
    }
    this.copyIn(chunk, (this.start + this.bytes) % this.buf.length);
    this.bytes += chunk.length;
  }

  /**
   * Everything held, oldest first, as a new array. When bytes were dropped the copy starts after
   * the first line break (if there is one near the front), so a replay never begins mid escape
   * sequence or mid UTF-8 character.
   */
  snapshot(): Uint8Array {
    const out = this.linear();
    if (this.droppedBytes === 0) return out;
    const limit = Math.min(out.length, 4096);
    for (let i = 0; i < limit; i++) if (out[i] === 0x0a) return out.subarray(i + 1);
    return out;
  }

  clear(): void {
    this.droppedBytes += this.bytes;
    this.buf = EMPTY;
    this.start = 0;
    this.bytes = 0;
  }

  /** The bytes held, in order, in a new array. */
  private linear(): Uint8Array {
    return this.copyOut(new Uint8Array(this.bytes));
  }

  private grow(length: number): void {
    this.buf = this.copyOut(new Uint8Array(length));
    this.start = 0;
  }

  /** Copies the bytes held, oldest first, to the front of `into` (room for them at least). */
  private copyOut(into: Uint8Array): Uint8Array {
    const firstPart = Math.min(this.bytes, this.buf.length - this.start);
    into.set(this.buf.subarray(this.start, this.start + firstPart));
    into.set(this.buf.subarray(0, this.bytes - firstPart), firstPart);
    return into;
  }

  /** Copies `chunk` in at `at`, wrapping round the end (the caller made room). */
  private copyIn(chunk: Uint8Array, at: number): void {
    const untilEnd = this.buf.length - at;
    if (chunk.length <= untilEnd) {
      this.buf.set(chunk, at);
      return;
    }
    this.buf.set(chunk.subarray(0, untilEnd), at);
    this.buf.set(chunk.subarray(untilEnd), 0);
  }
}
