// Share-link vocabulary with no zod in it: the owner's share sheet (on the dashboard) imports
// these, and zod must stay out of the app's first-load JavaScript.

export const SHARE_SCOPES = ["agent", "run", "dashboard", "groupchat"] as const;
export const SHARE_PERMISSIONS = ["view", "control"] as const;
export type ShareScope = (typeof SHARE_SCOPES)[number];
export type SharePermission = (typeof SHARE_PERMISSIONS)[number];

const HOUR_S = 60 * 60;
export const MIN_SHARE_EXPIRY_S = HOUR_S;
export const MAX_SHARE_EXPIRY_S = 30 * 24 * HOUR_S;

/** What the owner's share sheet offers. Any whole number of seconds in range is accepted. */
export const SHARE_EXPIRY_CHOICES = [
  { seconds: HOUR_S, label: "1 hour" },
  { seconds: 24 * HOUR_S, label: "1 day" },
  { seconds: 7 * 24 * HOUR_S, label: "7 days" },
  { seconds: 30 * 24 * HOUR_S, label: "30 days" },
] as const;
