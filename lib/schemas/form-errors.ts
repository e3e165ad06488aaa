import type { z } from "zod";

/** The first message for each top-level field of a failed parse, for a form to show beside its fields. */
export function fieldMessages<K extends string>(issues: readonly z.core.$ZodIssue[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field === "string" && !(field in out)) out[field as K] = issue.message;
  }
  return out;
}
