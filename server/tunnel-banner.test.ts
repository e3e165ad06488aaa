import { expect, test } from "vitest";
import { tunnelBanner, tunnelProblem } from "./tunnel-banner";
import type { TunnelStatus } from "./services/tunnel/types";

const base: TunnelStatus = {
  state: "missing",
  mode: "quick",
  url: null,
  error: "cloudflared is not installed (not found on PATH).",
  failures: 0,
  maxFailures: 6,
  retryAt: null,
  pid: null,
  binary: null,
  connected: false,
  revision: { boot: "b", seq: 1 },
};

test("the terminal banner shows the public URL, the pairing link on it and a QR code", async () => {
  const text = await tunnelBanner("https://a-b-c.trycloudflare.com", "https://a-b-c.trycloudflare.com/pair#token=T", { qr: true });
  expect(text).toContain("Public URL (Cloudflare tunnel): https://a-b-c.trycloudflare.com");
  expect(text).toContain("  https://a-b-c.trycloudflare.com/pair#token=T");
  expect(text).toMatch(/[▀▄█]/);
  expect(await tunnelBanner("https://x.trycloudflare.com", null, { qr: false })).not.toMatch(/[▀▄█]/);
});

test("missing cloudflared: how to install it on every OS, and the LAN URLs meanwhile", () => {
  const text = tunnelProblem(base, ["http://192.168.1.20:4280"], null);
  for (const s of [
    "brew install cloudflared",
    "winget install --id Cloudflare.cloudflared",
    "sudo dpkg -i cloudflared-linux-amd64.deb",
    "http://192.168.1.20:4280",
  ])
    expect(text).toContain(s);
});

test("a tunnel that gave up says why", () => {
  expect(tunnelProblem({ ...base, state: "failed", error: "Gave up after 6 failed starts in a row." }, [], null)).toBe(
    "\nTunnel failed: Gave up after 6 failed starts in a row.",
  );
});
