import type { Transcript, Usage } from "./build";

/** What the bridge says of a whole tab (`turns.overview`), as far as totals go. */
export interface TabSnapshot {
  count: number;
  newestTurnId: string | null;
  running: boolean;
  /** Sums over the tab's turns as recorded at their ends (the running one counts 0). */
  totals: Usage;
}

/**
 * The tab's turn count, tokens and cost for its header. A long tab loads only its newest turns,
 * so the transcript alone undercounts: the bridge's snapshot covers every turn up to the one that
 * was newest when it was taken, and the transcript adds what happened since, live. The snapshot
 * may be stale (a turn ended or started after it): nothing is counted twice or missed.
 */
export function tabTotals(transcript: Transcript, snapshot: TabSnapshot | undefined): { turns: number; usage: Usage } {
  const loaded = { turns: transcript.turns.length, usage: transcript.totals };
  if (!snapshot || snapshot.count <= transcript.turns.length) return loaded;
  const newest = snapshot.newestTurnId === null ? undefined : transcript.turnIndex.get(snapshot.newestTurnId);
  // The snapshot's newest turn is not loaded yet: its figures are all there is for now.
  if (newest === undefined) return { turns: snapshot.count, usage: snapshot.totals };

  const usage = { ...snapshot.totals };
  const add = (u: Usage) => {
    usage.inputTokens += u.inputTokens;
    usage.outputTokens += u.outputTokens;
    usage.costUsd += u.costUsd;
  };
  // Running when the snapshot was taken, it was counted as 0 there: its live figures count here.
  if (snapshot.running) add(transcript.turns[newest]!.usage);
  const since = transcript.turns.slice(newest + 1);
  for (const t of since) add(t.usage);
  return { turns: snapshot.count + since.length, usage };
}
