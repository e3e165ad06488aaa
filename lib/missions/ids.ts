/**
 * Ids in the reference CLI's formats (ReinaMacCredy/maestro v0.40.6): missions, handoffs and
 * corrections are `YYYY-MM-DD-NNN` (the local date and one more than the highest sequence of that
 * date already taken), checkpoints `YYYYMMDD-HHmmss-SSS` (local time). Pure.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The local date of `now` as `YYYY-MM-DD` (the reference takes the date from local time). */
export function localDate(now: Date): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `YYYY-MM-DD-NNN`: one more than the highest `NNN` of that date among `existing`. */
export function dateSequenceId(now: Date, existing: Iterable<string> = []): string {
  const date = localDate(now);
  let max = 0;
  for (const id of existing) {
    const m = /^(\d{4}-\d{2}-\d{2})-(\d{3,})$/.exec(id);
    if (m && m[1] === date) max = Math.max(max, Number(m[2]));
  }
  return `${date}-${pad(max + 1, 3)}`;
}

export const DATE_SEQUENCE_ID = /^\d{4}-\d{2}-\d{2}-\d{3}$/;

/**
 * A mission's id in the reference's layout (`.maestro/missions/<id>/`). The reference's ids are
 * no slug of the title; `title` is taken so callers need not care. `existing`: the ids of the
 * project's missions (the sequence restarts each day).
 */
export function missionRefId(_title: string, now: Date, existing: Iterable<string> = []): string {
  return dateSequenceId(now, existing);
}

/** A handoff's id (`.maestro/handoffs/<id>.json`); `existing`: the project's handoff ids. */
export function handoffId(now: Date, existing: Iterable<string> = []): string {
  return dateSequenceId(now, existing);
}

/** A correction's id (`.maestro/memory/corrections/<id>.json`). */
export function correctionId(now: Date, existing: Iterable<string> = []): string {
  return dateSequenceId(now, existing);
}

/** A checkpoint's id: local `YYYYMMDD-HHmmss-SSS`. */
export function checkpointId(now: Date): string {
  return (
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}-${pad(now.getMilliseconds(), 3)}`
  );
}

/** The reference's assertion id: the n-th (1-based) entry of a feature's `fulfills`. */
export function assertionRefId(featureKey: string, n: number): string {
  return `${featureKey}-assertion-${n}`;
}

/** The reference's assertion id back to (feature, 1-based index), or null. */
export function parseAssertionRefId(id: string): { featureKey: string; n: number } | null {
  const m = /^(.+)-assertion-(\d+)$/.exec(id);
  return m ? { featureKey: m[1]!, n: Number(m[2]) } : null;
}

/**
 * An assertion named either way — the `fulfills` string itself (the README's
 * `validate update auth-login-works`) or the reference's `<feature>-assertion-<n>` — as the
 * `fulfills` string; null when neither names one.
 */
export function assertionKeyOf(features: readonly { key: string; fulfills: readonly string[] }[], idOrKey: string): string | null {
  if (features.some((f) => f.fulfills.includes(idOrKey))) return idOrKey;
  const ref = parseAssertionRefId(idOrKey);
  if (!ref) return null;
  return features.find((f) => f.key === ref.featureKey)?.fulfills[ref.n - 1] ?? null;
}

/** Four random base-36 characters (crypto.getRandomValues; available in browsers and Node). */
export function randomBase36(length = 4): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}
