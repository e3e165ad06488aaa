import os from "node:os";

/** The URL a browser on this machine should use for the address the bridge is bound to. */
export function localUrl(host: string, port: number): string {
  const wildcard = host === "0.0.0.0" || host === "::" || host === "";
  const h = wildcard ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** LAN URLs (only meaningful when bound to all interfaces). */
export function lanUrls(host: string, port: number): string[] {
  if (!(host === "0.0.0.0" || host === "::")) return [];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === "IPv4" && !a.internal)
    .map((a) => `http://${a.address}:${port}`);
}

export function pairingUrl(base: string, token: string): string {
  // The token rides in the fragment: never sent to servers, logs or Referer headers.
  return `${base}/pair#token=${token}`;
}
