/** Keys a phone keyboard lacks, as the bytes a terminal expects. */
export type BarKey = "esc" | "tab" | "up" | "down" | "left" | "right" | "pipe" | "tilde" | "slash";

const ARROW: Record<"up" | "down" | "right" | "left", string> = { up: "A", down: "B", right: "C", left: "D" };

/**
 * Bytes for a key-bar key. Arrows depend on the cursor-key mode the program asked for
 * (full-screen programs like less and vim switch to "application" mode: ESC O x).
 */
export function barKeyBytes(key: BarKey, applicationCursor = false): string {
  switch (key) {
    case "esc":
      return "\x1b";
    case "tab":
      return "\t";
    case "pipe":
      return "|";
    case "tilde":
      return "~";
    case "slash":
      return "/";
    default:
      return `\x1b${applicationCursor ? "O" : "["}${ARROW[key]}`;
  }
}

/**
 * What Ctrl+<key> sends: letters → 0x01…0x1a, and the classic punctuation (@ [ \ ] ^ _ and
 * space, ? for DEL). Anything else has no control form and is sent unchanged.
 */
export function controlChar(key: string): string {
  if (key.length !== 1) return key;
  const c = key.toUpperCase().charCodeAt(0);
  if (c >= 0x40 && c <= 0x5f) return String.fromCharCode(c - 0x40); // @ A-Z [ \ ] ^ _
  if (key === " ") return "\x00";
  if (key === "?") return "\x7f";
  return key;
}
