/**
 * Text from a model or a CLI, made safe to show a person: terminal escapes and control
 * characters go (they can rewrite or hide what a terminal or a lock screen shows), and bidi
 * controls, which can make `rm -rf ~` read as something else, become a visible marker.
 * Line breaks and tabs stay. Pure.
 */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`) and two-character escapes (`ESC x`).
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 except tab and line feed, DEL, C1.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const marker = (c: string) => `⟪U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}⟫`;

export function displaySafe(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(ESCAPES, "").replace(CONTROLS, "").replace(BIDI, marker);
}

/** Every string of a JSON-like value (keys too) through displaySafe; other values as they are. */
export function displaySafeDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return displaySafe(value);
  if (depth > 50 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => displaySafeDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [displaySafe(k), displaySafeDeep(v, depth + 1)]));
}
