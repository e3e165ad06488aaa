/**
 * Choosing between two tunnel views. The Remote access screen hears of the tunnel from three
 * places (the status query, the pushed status stream and each Start/Stop reply) and they can
 * arrive out of order: a Stop reply held up on a slow link can land after the pushed "running"
 * of the Start that followed it. Each view carries its status's revision; the newer one wins.
 */
export interface Revision {
  /** This run of the bridge: after a restart, counting starts again. */
  boot: string;
  /** Grows with every change within one run. */
  seq: number;
}

/** Whether `next` should replace `current`: newer within one run, or from another run of the bridge. */
export function isNewerRevision(current: Revision | undefined, next: Revision): boolean {
  if (!current || current.boot !== next.boot) return true;
  return next.seq >= current.seq;
}

/** Keeps the newer of two views by their status's revision (the shape of React Query's updater). */
export function newerView<V extends { status: { revision: Revision } }>(current: V | undefined, next: V): V {
  return isNewerRevision(current?.status.revision, next.status.revision) ? next : current!;
}
