import { expect, test } from "vitest";
import { backoffMs, findQuickTunnelUrl, normalizeHostname, parseTunnelLine, publicHostname } from "./log";
import { installStepsFor } from "./install";

// Lines as cloudflared prints them (quick tunnel start, connection, failures).
const QUICK_START = `2021-09-03T10:44:38Z INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps
2021-09-03T10:44:38Z INF Requesting new quick Tunnel on trycloudflare.com...
2021-09-03T10:44:41Z INF +--------------------------------------------------------------------------------------------+
2021-09-03T10:44:41Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2021-09-03T10:44:41Z INF |  https://symantec-transferred-lock-revenues.trycloudflare.com                              |
2021-09-03T10:44:41Z INF +--------------------------------------------------------------------------------------------+
2021-09-03T10:44:41Z INF Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]
2021-09-03T10:44:41Z INF Version 2021.8.7
2021-09-03T10:44:43Z INF Registered tunnel connection connIndex=0 connection=5c94b68c-6732-40c1-9b49-9f8f6c23521d event=0 ip=198.41.192.67 location=las01 protocol=quic`;

test("the quick tunnel URL is read from the box cloudflared draws", () => {
  expect(findQuickTunnelUrl(QUICK_START)).toBe("https://symantec-transferred-lock-revenues.trycloudflare.com");
});

test("no URL before the box (the greeting and the request line mention trycloudflare.com, not a tunnel)", () => {
  expect(findQuickTunnelUrl(QUICK_START.split("\n").slice(0, 4).join("\n"))).toBeNull();
});

test.each([
  [
    "2021-09-03T10:44:41Z INF |  https://Four-Dashed-Word-Url.trycloudflare.com   |",
    { kind: "quick-url", url: "https://four-dashed-word-url.trycloudflare.com" },
  ],
  [
    "\x1b[90m2024-05-01T08:00:00Z\x1b[0m \x1b[32mINF\x1b[0m |  https://a-b-c.trycloudflare.com  |",
    { kind: "quick-url", url: "https://a-b-c.trycloudflare.com" },
  ],
  [
    "2025-01-28T06:13:37Z INF Registered tunnel connection connIndex=0 connection=5c94b68c event=0 ip=198.41.192.67 location=las01 protocol=quic",
    { kind: "connected", location: "las01" },
  ],
  [
    'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
    {
      kind: "error",
      message:
        'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host',
    },
  ],
  [
    '2024-01-24T21:46:32Z ERR Serve tunnel error error="timeout: no recent network activity" connIndex=0 event=0 ip=198.41.200.23',
    { kind: "error", message: 'Serve tunnel error error="timeout: no recent network activity" connIndex=0 event=0 ip=198.41.200.23' },
  ],
  ['2024-01-24T21:46:28Z WRN Connection terminated error="timeout" connIndex=2', { kind: "other" }],
  ["2021-09-03T10:44:38Z INF Requesting new quick Tunnel on trycloudflare.com...", { kind: "other" }],
  ["", { kind: "other" }],
])("parseTunnelLine(%j)", (line, fact) => {
  expect(parseTunnelLine(line)).toEqual(fact);
});

test.each([
  [0, 0],
  [1, 1000],
  [2, 2000],
  [3, 4000],
  [5, 16_000],
  [6, 30_000],
  [20, 30_000],
])("backoff after %i failures is %i ms", (n, ms) => {
  expect(backoffMs(n)).toBe(ms);
});

test.each([
  ["https://abc.trycloudflare.com", "abc.trycloudflare.com"],
  ["http://abc.trycloudflare.com", null],
  ["nonsense", null],
  [null, null],
])("publicHostname(%j)", (url, host) => {
  expect(publicHostname(url)).toBe(host);
});

test.each([
  ["maestro.example.com", "maestro.example.com"],
  [" https://Maestro.Example.com/ ", "maestro.example.com"],
  ["localhost", null],
  ["bad host.com", null],
  ["-x.example.com", null],
])("normalizeHostname(%j)", (input, out) => {
  expect(normalizeHostname(input)).toBe(out);
});

test("install steps put this platform first and always name all four ways", () => {
  expect(installStepsFor("darwin")[0]!.commands).toEqual(["brew install cloudflared"]);
  expect(installStepsFor("win32")[0]!.commands).toEqual(["winget install --id Cloudflare.cloudflared"]);
  expect(
    installStepsFor("linux")
      .slice(0, 2)
      .map((s) => s.os),
  ).toEqual(["linux", "linux-apt"]);
  expect(installStepsFor("linux")).toHaveLength(4);
});
