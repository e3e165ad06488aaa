import os from "node:os";

export interface LanInfo {
  /** Whether the bridge listens on the LAN at all (it binds 127.0.0.1 by default). */
  listening: boolean;
  /** http://<address>:<port> for each non-internal IPv4 address of this machine. */
  urls: string[];
  /** How to make it listen on the LAN, when it does not. */
  hint: string | null;
}

const WILDCARD = new Set(["0.0.0.0", "::", ""]);

/** LAN URLs from the machine's interfaces and whether the bridge's bind address serves them. */
export function lanInfo(host: string, port: number, interfaces = os.networkInterfaces()): LanInfo {
  const addresses = Object.values(interfaces)
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === "IPv4" && !a.internal)
    .map((a) => a.address);
  const served = WILDCARD.has(host) ? addresses : addresses.filter((a) => a === host);
  const listening = served.length > 0;
  return {
    listening,
    urls: (listening ? served : addresses).map((a) => `http://${a}:${port}`),
    hint: listening
      ? null
      : addresses.length === 0
        ? "This machine has no LAN address right now."
        : `Maestro listens on ${host || "127.0.0.1"} only. Restart it with --host 0.0.0.0 (npm start -- --host 0.0.0.0) to reach it from your LAN.`,
  };
}
