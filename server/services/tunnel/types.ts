import type { Revision } from "../../../lib/tunnel/revision";

/** What the tunnel is doing, as the UI and the terminal see it. */
export type TunnelState = "idle" | "starting" | "running" | "restarting" | "failed" | "missing";
export type TunnelMode = "quick" | "named";

export interface TunnelStatus {
  state: TunnelState;
  mode: TunnelMode;
  /** The public https URL while running (quick: read from cloudflared's log; named: the configured hostname). */
  url: string | null;
  /** The last thing that went wrong (why it is restarting, failed or missing). */
  error: string | null;
  /** Failed starts in a row; at `maxFailures` the supervisor gives up (state `failed`). */
  failures: number;
  maxFailures: number;
  /** While restarting: when the next start happens (epoch ms). */
  retryAt: number | null;
  /** The running cloudflared's process id. */
  pid: number | null;
  /** The cloudflared binary in use (or that would be used), null when none was found. */
  binary: string | null;
  /** cloudflared has registered a connection with Cloudflare's edge. */
  connected: boolean;
  /**
   * Which status this is: `boot` names this run of the bridge, `seq` grows with every change.
   * Replies can reach a client out of order (a slow mutation reply after a newer pushed status),
   * so the client keeps the newest by this stamp instead of the last to arrive.
   */
  revision: Revision;
}

export interface TunnelConfigView {
  mode: TunnelMode;
  /** Named tunnel: the public hostname routed to this bridge. */
  hostname: string | null;
  /** Named tunnel: whether a token is stored (the token itself never leaves the bridge). */
  hasToken: boolean;
  /** A cloudflared binary path chosen in Settings (else PATH). */
  binaryPath: string | null;
}
