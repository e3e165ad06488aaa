/** What the approvals service tells the model and the person when a request ends, and the card's clipped input. */

export const timeoutMessage = (min: number) =>
  `Nobody answered within ${min} minute${min === 1 ? "" : "s"}, so this was denied. Carry on without it, or ask again.`;
export const DENIED = "The user denied this. Carry on without it, or ask for something else.";
export const WITHDRAWN = "The agent withdrew this request.";
export const UNDELIVERED = "The turn had ended before the answer reached it.";
export const GATE_FAILED = "Maestro could not show this request, so it was denied.";
export const ENDED: Record<"done" | "stopped" | "failed", string> = {
  done: "The turn ended before an answer.",
  stopped: "Stopped while waiting for an answer.",
  failed: "The turn ended before an answer.",
};

export function alreadyText(status: string, by: string | null): string {
  if (status === "allowed") return `This was already allowed${by ? ` by ${by}` : ""}.`;
  if (status === "denied") return `This was already denied${by ? ` by ${by}` : ""}.`;
  if (status === "expired") return "Nobody answered in time: this request was already denied.";
  return "This request ended before an answer (the turn stopped or moved on).";
}

/**
 * The card's copy of the input (the card and every refetch of pending requests): very large
 * inputs (a whole file's content, a long list of edits) are cut at any depth, within a total
 * budget; the row keeps them whole.
 */
export function clipInput(input: unknown): unknown {
  if (JSON.stringify(input ?? {}).length <= 32 * 1024) return input;
  const budget = { left: 48 * 1024 };
  return clipValue(input, 0, budget);
}

const STRING_MAX = 8 * 1024;
const ITEMS_MAX = 50;
const DEPTH_MAX = 6;

function clipValue(v: unknown, depth: number, budget: { left: number }): unknown {
  if (typeof v === "string") {
    const keep = Math.max(0, Math.min(v.length, STRING_MAX, budget.left));
    budget.left -= keep;
    return keep < v.length ? `${v.slice(0, keep)}… (${v.length - keep} more characters)` : v;
  }
  if (typeof v !== "object" || v === null) return v;
  if (depth >= DEPTH_MAX || budget.left <= 0) return "…";
  if (Array.isArray(v)) {
    const items = v.slice(0, ITEMS_MAX).map((x) => clipValue(x, depth + 1, budget));
    if (v.length > ITEMS_MAX) items.push(`… (${v.length - ITEMS_MAX} more items)`);
    return items;
  }
  const entries = Object.entries(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries.slice(0, ITEMS_MAX)) out[k] = clipValue(x, depth + 1, budget);
  if (entries.length > ITEMS_MAX) out["…"] = `${entries.length - ITEMS_MAX} more fields`;
  return out;
}
