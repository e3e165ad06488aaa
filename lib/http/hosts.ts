/**
 * Host header allowlist against DNS rebinding: a page on evil.example that re-resolves its name
 * to 127.0.0.1 reaches the bridge with `Host: evil.example`, which is refused. IP literals
 * cannot be rebound, so they are always fine; names must be loopback, the machine's own, *.local,
 * or explicitly allowed (a tunnel hostname, MAESTRO_ALLOWED_HOSTS).
 */
export function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(0, end + 1) : null;
  }
  const colon = h.lastIndexOf(":");
  const name = colon >= 0 ? h.slice(0, colon) : h;
  return /^[a-z0-9.-]+$/.test(name) ? name : null;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isAllowedHost(hostHeader: string | undefined, allowedNames: readonly string[]): boolean {
  const name = hostnameOf(hostHeader);
  if (!name) return false;
  if (name.startsWith("[") || IPV4.test(name)) return true;
  if (name === "localhost" || name.endsWith(".localhost") || name.endsWith(".local")) return true;
  return allowedNames.some((allowed) => (allowed.startsWith("*.") ? name.endsWith(allowed.slice(1)) : name === allowed.toLowerCase()));
}
