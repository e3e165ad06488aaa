/**
 * A friendly default name for this device from its user agent: "Chrome on Android",
 * "Firefox on Linux", "Safari on iPhone". Pure.
 */
export function guessDeviceName(ua: string, opts: { touchPoints?: number } = {}): string {
  const browser = /EdgA?\/|Edg\//.test(ua)
    ? "Edge"
    : /OPR\/|Opera/.test(ua)
      ? "Opera"
      : /SamsungBrowser\//.test(ua)
        ? "Samsung Internet"
        : /Firefox\/|FxiOS\//.test(ua)
          ? "Firefox"
          : /CriOS\/|Chrome\/|Chromium\/|HeadlessChrome\//.test(ua)
            ? "Chrome"
            : /Safari\//.test(ua)
              ? "Safari"
              : "Browser";
  const os = /iPhone|iPod/.test(ua)
    ? "iPhone"
    : /iPad/.test(ua) || (/Macintosh/.test(ua) && (opts.touchPoints ?? 0) > 1)
      ? "iPad"
      : /Android/.test(ua)
        ? "Android"
        : /CrOS/.test(ua)
          ? "ChromeOS"
          : /Mac OS X|Macintosh/.test(ua)
            ? "macOS"
            : /Windows/.test(ua)
              ? "Windows"
              : /Linux|X11/.test(ua)
                ? "Linux"
                : null;
  return os ? `${browser} on ${os}` : browser;
}

/** The pairing token from a pasted link (…/pair#token=X or ?token=X) or a bare token. */
export function extractToken(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const m = /[#?&]token=([A-Za-z0-9_-]+)/.exec(text);
  if (m) return m[1]!;
  if (/^[A-Za-z0-9_-]{20,}$/.test(text)) return text;
  return null;
}
