// @ts-check
import { randomUUID } from "node:crypto";
import { CliError, EXIT } from "../exit-codes.mjs";
import { findAgent, withClient } from "./data.mjs";

/**
 * What `turns.result` answers (lib/providers/send-result.ts): desktop's `send` shape.
 * @typedef {{ agentId: string, agentName: string, sessionId: string, providerSessionId: string | null,
 *   turnId: string, response: string | null, success: boolean, error?: string,
 *   usage: { inputTokens: number, outputTokens: number, cacheReadInputTokens: number,
 *     cacheCreationInputTokens: number, totalCostUsd: number, contextWindow: number,
 *     contextUsagePercent: number | null } | null }} SendResult
 */

/**
 * @typedef {object} SendOptions
 * @property {string} [tab] continue this tab (its id, as `sessionId` printed it)
 * @property {boolean} [newTab] a new tab (the default; accepted for desktop's spelling)
 * @property {boolean} [readOnly]
 * @property {boolean} [wait] false with --no-wait
 */

/** A new tab's name: what was asked, shortened. @param {string} message */
export function tabNameFor(message) {
  const first =
    message
      .split("\n")
      .find((l) => l.trim())
      ?.trim() ?? "";
  const name = `CLI: ${first}`;
  return name.length > 80 ? `${name.slice(0, 79)}…` : name;
}

/**
 * `maestro send AGENT MESSAGE`: a turn in a new tab (or `--tab ID`), followed through the tab's
 * event stream to its end, then its result in desktop's shape. On a TTY without --json the
 * reply's text is printed as it arrives.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {string} ref
 * @param {string} message
 * @param {SendOptions} o
 */
export async function send(ctx, ref, message, o) {
  if (o.tab !== undefined && o.newTab) throw new CliError("--tab and --new-tab exclude each other.", EXIT.USAGE, "USAGE");
  if (!message.trim()) throw new CliError("the message is empty.", EXIT.USAGE, "USAGE");
  const live = Boolean(process.stdout.isTTY) && !ctx.out.json && !ctx.opts.quiet;
  await withClient(ctx, true, async (client) => {
    if (o.wait === false && client.mode === "headless") {
      // Headless, the services live as long as this command: the turn would be stopped at exit.
      throw new CliError(
        "--no-wait needs the running bridge (headless, the turn would end with this command). Start it with `maestro start`, or leave out --no-wait.",
        EXIT.FAILED,
        "NEEDS_BRIDGE",
      );
    }
    const agent = await findAgent(client, ref);
    const tabId = o.tab !== undefined ? await existingTab(client, agent, o.tab) : await newTab(client, agent.id, message);
    // Followed from the tab's last event before this send: a later turn (another client's, once
    // ours ended) can never hide ours from the stream.
    const after = o.tab !== undefined && o.wait !== false ? await lastEventId(client, tabId) : 0;
    const { turnId } = await client.mutate("turns.send", {
      tabId,
      prompt: message,
      clientId: `cli-${randomUUID()}`,
      ...(o.readOnly ? { readOnly: true } : {}),
    });
    if (o.wait === false) {
      ctx.out.verbose(`turn ${turnId} started in tab ${tabId}`);
      const started = {
        agentId: agent.id,
        agentName: agent.name,
        sessionId: tabId,
        providerSessionId: null,
        turnId,
        response: null,
        success: true,
        usage: null,
      };
      if (ctx.out.json) ctx.out.data(started);
      else ctx.out.line(`Sent to ${agent.name} (tab ${tabId}, turn ${turnId}).`);
      return;
    }
    // Ctrl-C stops the turn (as desktop's send ends its CLI); a second one leaves it running.
    // Headless mode has its own signal handling (it shuts the services down, which stops turns).
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      process.stderr.write("\nmaestro: stopping the turn (Ctrl-C again to leave it running)…\n");
      client.mutate("turns.stop", { tabId }).catch(() => {});
    };
    if (client.mode !== "headless") process.on("SIGINT", onSigint);
    // Said only once Ctrl-C is ours: a script that interrupts on this line must not meet the
    // default SIGINT action (death by signal, no stop sent).
    ctx.out.verbose(`turn ${turnId} started in tab ${tabId}`);
    let streamed;
    try {
      streamed = await follow(client, tabId, turnId, after, live ? (text) => process.stdout.write(text) : null);
    } finally {
      process.off("SIGINT", onSigint);
    }
    /** @type {SendResult} */
    const result = await client.query("turns.result", { turnId });
    if (!result.success) process.exitCode = interrupted ? 130 : EXIT.FAILED;
    if (ctx.out.json) return ctx.out.data(result);
    if (!result.success) {
      if (streamed) process.stdout.write("\n");
      process.stderr.write(`maestro: the turn failed: ${(result.error ?? "unknown error").replace(/\s*\n\s*/g, " ")}\n`);
      return;
    }
    if (streamed) process.stdout.write(streamed.endsWith("\n") ? "" : "\n");
    // The reply is what was asked for, not incidental: --quiet does not hide it.
    else process.stdout.write(`${result.response ?? ""}\n`);
    if (live) process.stderr.write(`${ctx.out.colors.dim(footer(result))}\n`);
  });
}

/**
 * @param {import("../client.mjs").Client} client
 * @param {{ id: string, name: string }} agent
 * @param {string} ref
 */
async function existingTab(client, agent, ref) {
  /** @type {{ id: string, name: string }[]} */
  const tabs = await client.query("tabs.list", { agentId: agent.id });
  const tab = tabs.find((t) => t.id === ref);
  if (!tab) {
    throw new CliError(
      `${agent.name} has no tab ${JSON.stringify(ref)}. \`maestro session list -a ${agent.name}\` shows its tabs.`,
      EXIT.NOT_FOUND,
      "SESSION_NOT_FOUND",
    );
  }
  return tab.id;
}

/**
 * @param {import("../client.mjs").Client} client
 * @param {string} agentId
 * @param {string} message
 * @returns {Promise<string>}
 */
async function newTab(client, agentId, message) {
  return (await client.mutate("tabs.create", { agentId, name: tabNameFor(message) })).id;
}

/**
 * The id of the tab's newest stored event (0 for an empty tab).
 * @param {import("../client.mjs").Client} client
 * @param {string} tabId
 * @returns {Promise<number>}
 */
async function lastEventId(client, tabId) {
  /** @type {{ id: number }[]} */
  const newest = await client.query("turns.tail", { tabId, tail: 1 });
  return newest.reduce((max, e) => Math.max(max, e.id), 0);
}

/**
 * Reads the tab's stream from event `after` on until this turn's `turn_end`. Returns the text
 * printed live ("" when nothing was printed).
 * @param {import("../client.mjs").Client} client
 * @param {string} tabId
 * @param {string} turnId
 * @param {number} after
 * @param {((text: string) => void) | null} print
 */
async function follow(client, tabId, turnId, after, print) {
  let printed = "";
  /** @type {string | undefined} */
  let lastMessage;
  for await (const batch of client.subscribe("turns.onEvent", { tabId, lastEventId: String(after) })) {
    for (const e of /** @type {{ turnId: string, type: string, data: Record<string, any> }[]} */ (batch ?? [])) {
      if (e.turnId !== turnId) continue;
      if (e.type === "turn_end") return printed;
      if (print && e.type === "text" && typeof e.data.text === "string") {
        const joined = e.data.delta || (e.data.messageId !== undefined && e.data.messageId === lastMessage);
        const text = `${printed && !joined ? "\n\n" : ""}${e.data.text}`;
        lastMessage = e.data.messageId;
        print(text);
        printed += text;
      }
    }
  }
  throw new CliError("the turn's stream ended before the turn did.", EXIT.UNREACHABLE, "UNREACHABLE");
}

/** @param {SendResult} r */
function footer(r) {
  if (!r.usage) return `tab ${r.sessionId}`;
  const u = r.usage;
  const ctx = u.contextUsagePercent === null ? "" : ` · context ${u.contextUsagePercent}%`;
  return `${u.inputTokens} in / ${u.outputTokens} out · $${u.totalCostUsd.toFixed(4)}${ctx} · tab ${r.sessionId}`;
}
