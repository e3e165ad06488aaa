/**
 * How many bus events a resumable stream's live feed holds for a reader that fell behind before
 * it drops them and reads them back from the store (`StreamOptions.maxQueued`). One tab's
 * events come in about one bus event per commit (every few ms): a reader some seconds behind.
 */
export const LIVE_QUEUE_CAP = 1000;

/** A batch of a resumable stream and the id a client resumes after. */
export interface ResumableBatch<T> {
  items: T[];
  /** The id of the newest item delivered so far (the client's `lastEventId`). */
  last: number;
}

export interface ResumableOptions<T, L> {
  /**
   * The live feed, already attached (a `bus.stream` is, from its call). Attaching before the
   * backlog is read is what makes the hand-over lossless: whatever is published while the
   * backlog is read waits in this feed's queue.
   */
  live: AsyncIterator<L> & { drain?: () => L[]; resync?: () => boolean };
  /** The items one live event carries. */
  itemsOf: (event: L) => readonly T[];
  /**
   * What is stored after an id (the client's last, at first; the last delivered, after the live
   * feed dropped events), oldest first, a page at a time (read as it is consumed).
   */
  backlog: (after: number) => AsyncIterable<readonly T[]> | Iterable<readonly T[]>;
  /** An item's durable id; ids grow with time. */
  id: (item: T) => number;
  /** The last id the client already has. */
  after: number;
  /** Yield one empty batch when the backlog is done, so the client knows it has caught up. */
  markCaughtUp?: boolean;
}

/**
 * Backlog, then live, with nothing lost between the two and nothing twice: an item published
 * while the backlog was read is queued in `live` and may be in the backlog too, so live items
 * at or below the newest id already delivered are dropped. The live feed is closed when the
 * reader stops, even during the backlog.
 */
export async function* resumable<T, L>(options: ResumableOptions<T, L>): AsyncGenerator<ResumableBatch<T>> {
  const { live, itemsOf, id } = options;
  let last = options.after;
  const fresh = (items: readonly T[]) => items.filter((item) => id(item) > last);
  async function* stored() {
    for await (const page of options.backlog(last)) {
      const items = fresh(page);
      if (items.length === 0) continue;
      last = id(items[items.length - 1]!);
      yield { items, last };
    }
  }
  try {
    yield* stored();
    if (options.markCaughtUp) yield { items: [], last };
    for (;;) {
      const next = await live.next();
      if (next.done) return;
      // Whatever queued up behind it goes in the same batch: a reader that fell behind catches
      // up in one message instead of one per event.
      const queued = live.drain?.() ?? [];
      // The feed dropped what this reader was too slow for (its queue is bounded): read that
      // back from the store, then go on with what is queued (anything already read is skipped).
      if (live.resync?.()) yield* stored();
      const items = fresh(queued.length === 0 ? itemsOf(next.value) : [next.value, ...queued].flatMap((e) => itemsOf(e)));
      if (items.length === 0) continue;
      last = id(items[items.length - 1]!);
      yield { items, last };
    }
  } finally {
    await live.return?.();
  }
}
