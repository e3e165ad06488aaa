import { z } from "zod";

/**
 * The command-terminal websocket protocol (`/ws/terminal?id=<terminal id>`).
 *
 * The upgrade is authenticated like every request (session cookie, same Origin); the terminal
 * is named in the query and must already exist (tRPC `terminals.create`).
 *
 * Binary frames carry raw terminal bytes, both ways: client → bridge is keyboard input written
 * to the pty; bridge → client is pty output, batched (a few ms, at most 64 KiB per frame) and
 * sent at once when it answers recent input, so echo stays fast.
 *
 * Text frames are small JSON control messages:
 *   bridge → client
 *     {"t":"attached","id","cols","rows","exit"}  first frame; a binary frame with the
 *                                                 scrollback follows (if any), then live output
 *     {"t":"exit","code","signal"}                the shell ended (output before it is flushed)
 *     {"t":"closed","reason"}                     the terminal was closed (then the socket closes)
 *   client → bridge
 *     {"t":"resize","cols","rows"}
 *
 * Flow control: while a client's socket holds more than a watermark of unsent bytes the pty is
 * paused (the program blocks on write); a client that stays over it too long is dropped (its
 * socket destroyed) so one dead phone can never stall the terminal. Close codes: 4404 no such
 * terminal, 4000 terminal closed.
 */
export const TERMINAL_WS_PATH = "/ws/terminal";

export const CLOSE_NO_TERMINAL = 4404;
export const CLOSE_TERMINAL_CLOSED = 4000;

export const terminalExitSchema = z.object({ code: z.number().int().nullable(), signal: z.number().int().nullable() });
export type TerminalExit = z.infer<typeof terminalExitSchema>;

export const dimension = z.number().int().min(1).max(1000);

export const clientMessage = z.discriminatedUnion("t", [z.object({ t: z.literal("resize"), cols: dimension, rows: dimension })]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type ServerMessage =
  | { t: "attached"; id: string; cols: number; rows: number; exit: TerminalExit | null }
  | ({ t: "exit" } & TerminalExit)
  | { t: "closed"; reason: string };

/** Parses a control frame; anything unreadable is null (and ignored by the bridge). */
export function parseClientMessage(text: string): ClientMessage | null {
  try {
    const r = clientMessage.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** How an exit reads to a person: "exited with code 3", "killed by signal 9". */
export function describeExit(exit: TerminalExit): string {
  if (exit.signal) return `killed by signal ${exit.signal}`;
  return `exited with code ${exit.code ?? 0}`;
}
