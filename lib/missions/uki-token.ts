/**
 * The reference's token normalizer (src/features/handoff/lib/uki-token.ts `normalizeUkiToken`):
 * lowercase, runs of anything but a-z and 0-9 to `_`, trimmed of `_`, at most 12 segments;
 * nothing left → `unknown`. `src/Auth.ts` → `src_auth_ts`, `2026-04-17-001` → `2026_04_17_001`.
 */
export function normalizeUkiToken(value: string): string {
  const t = value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .split("_")
    .slice(0, 12)
    .join("_");
  return t || "unknown";
}
