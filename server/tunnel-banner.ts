import { installStepsFor } from "../lib/tunnel/install";
import type { Services } from "./services";
import type { TunnelStatus } from "./services/tunnel/types";
import { pairingUrl } from "./urls";

/** What the terminal shows when the tunnel is up: the public URL, a pairing link on it, its QR. */
export async function tunnelBanner(url: string, pairing: string | null, options: { qr: boolean }): Promise<string> {
  const lines = ["", `Public URL (Cloudflare tunnel): ${url}`];
  if (pairing) lines.push("Pair a phone through the tunnel (one use, expires in an hour):", `  ${pairing}`);
  if (options.qr) {
    // Loaded when a QR code is printed: it is not needed for the first page (cold start, bench/README.md).
    const { default: QRCode } = await import("qrcode");
    lines.push("", await QRCode.toString(pairing ?? url, { type: "terminal", small: true }));
  }
  return lines.join("\n");
}

/** What the terminal says when the tunnel cannot run: why, and what to do. */
export function tunnelProblem(status: TunnelStatus, lanUrls: string[], lanHint: string | null): string {
  if (status.state === "missing") {
    const steps = installStepsFor(process.platform)
      .map((s) => `  ${s.label}:\n${s.commands.map((c) => `    ${c}`).join("\n")}`)
      .join("\n");
    const lan = lanUrls.length ? `\nMeanwhile, on the same network: ${lanUrls.join(", ")}${lanHint ? ` (${lanHint})` : ""}` : "";
    return `\nTunnel: ${status.error}\nInstall cloudflared, then start the tunnel again (Settings → Remote access, or --tunnel):\n${steps}${lan}`;
  }
  return `\nTunnel ${status.state}: ${status.error}`;
}

/** Prints the public URL (with a fresh pairing link) each time the tunnel gets one, and its troubles. */
export function announceTunnel(services: Services, options: { qr: boolean; print?: (text: string) => void }): () => void {
  const print = options.print ?? ((t: string) => console.log(t));
  let lastUrl: string | null = null;
  let lastProblem: string | null = null;
  return services.bus.subscribe("tunnel.status", (status) => {
    if (status.state === "running" && status.url && status.url !== lastUrl) {
      lastUrl = status.url;
      lastProblem = null;
      void (async () => {
        const { token } = await services.auth.createPairingToken();
        print(await tunnelBanner(status.url!, pairingUrl(status.url!, token), options));
      })().catch((err) => print(`Tunnel: ${status.url} (could not make a pairing link: ${(err as Error).message})`));
    } else if ((status.state === "failed" || status.state === "missing") && status.error !== lastProblem) {
      lastProblem = status.error;
      lastUrl = null;
      const lan = services.tunnel.lan();
      print(tunnelProblem(status, lan.urls, lan.hint));
    } else if (status.state === "restarting" && status.error && status.error !== lastProblem) {
      lastProblem = status.error;
      lastUrl = null;
      print(
        `Tunnel restarting in ${Math.max(0, Math.round(((status.retryAt ?? Date.now()) - Date.now()) / 1000))} s (${status.failures}/${status.maxFailures}): ${status.error}`,
      );
    }
  });
}
