/**
 * One promise chain per key: work for the same key runs one at a time, in call order; a failed
 * step does not block the next. Used per chat for its writes (stream order) and for its
 * participant changes (an add, a remove and the moderator's auto-add resolve to one state).
 */
export function createQueues() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(work, work);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
    /** Resolves once everything queued so far for `key` has run. */
    async drained(key: string): Promise<void> {
      await tails.get(key);
    },
  };
}
