import type { Transcript, TranscriptItem, Turn } from "./build";

/**
 * The transcript flattened into rows for a virtualized list: each turn is its prompt, its
 * items, then its footer. Rows are cached per turn object, so rebuilding after a batch only
 * touches the turns that changed.
 */
export type TranscriptRow =
  | { kind: "prompt"; key: string; turn: Turn }
  | { kind: "item"; key: string; turn: Turn; item: TranscriptItem; index: number }
  | { kind: "footer"; key: string; turn: Turn };

const cache = new WeakMap<Turn, TranscriptRow[]>();

export function turnRows(turn: Turn): TranscriptRow[] {
  let rows = cache.get(turn);
  if (rows) return rows;
  rows = [];
  if (turn.prompt !== null) rows.push({ kind: "prompt", key: `${turn.key}:p`, turn });
  turn.items.forEach((item, index) => rows.push({ kind: "item", key: `${turn.key}:${item.key}`, turn, item, index }));
  rows.push({ kind: "footer", key: `${turn.key}:f`, turn });
  cache.set(turn, rows);
  return rows;
}

export function transcriptRows(t: Transcript): TranscriptRow[] {
  const out: TranscriptRow[] = [];
  for (const turn of t.turns) {
    const rows = turnRows(turn);
    for (let i = 0; i < rows.length; i++) out.push(rows[i]!);
  }
  return out;
}
