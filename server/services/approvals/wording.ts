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

/** The card's copy of the input: very large inputs (a whole file's content) are cut; the row keeps it whole. */
export function clipInput(input: unknown): unknown {
  const text = JSON.stringify(input ?? {});
  if (text.length <= 32 * 1024 || typeof input !== "object" || input === null) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input))
    out[k] = typeof v === "string" && v.length > 8 * 1024 ? `${v.slice(0, 8 * 1024)}… (${v.length - 8 * 1024} more characters)` : v;
  return out;
}
