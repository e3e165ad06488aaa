import type { Services } from "../services";

/**
 * Host names the bridge answers to besides IPs, localhost and *.local: MAESTRO_ALLOWED_HOSTS and,
 * while it is up, the tunnel's public name (cloudflared passes the public Host header through).
 */
export function allowedHostsFor(services: Pick<Services, "tunnel">, env: Record<string, string | undefined> = process.env): () => string[] {
  return () => {
    const extra = (env.MAESTRO_ALLOWED_HOSTS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const tunnelHost = services.tunnel.publicHostname();
    return tunnelHost ? [...extra, tunnelHost] : extra;
  };
}
