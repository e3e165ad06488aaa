import type { Services } from "../services";

/**
 * Host names the bridge answers to besides IPs, localhost and *.local: MAESTRO_ALLOWED_HOSTS and,
 * while it is up, the tunnel's public name (cloudflared passes the public Host header through).
 */
export function allowedHostsFor(services: Pick<Services, "tunnel">, extra: readonly string[]): () => string[] {
  return () => {
    const tunnelHost = services.tunnel.publicHostname();
    return tunnelHost ? [...extra, tunnelHost] : [...extra];
  };
}
