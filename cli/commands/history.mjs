// @ts-check
import { CliError, EXIT } from "../exit-codes.mjs";
import { table } from "../output.mjs";
import { findAgent, oneLine, parseSince, positiveInt, withClient } from "./data.mjs";

/** History's kinds (lib/history/kinds.ts; cli/conversation.test.ts keeps the two equal). */
export const HISTORY_KINDS = [
  "turn",
  "autorun-task",
  "autorun-loop",
  "autorun-run",
  "git-pr",
  "share-use",
  "approval",
  "groupchat-delegation",
  "groupchat-response",
  "groupchat-synthesis",
  "mission",
  "mission-feature",
];

/**
 * @typedef {{ id: string, kind: string, agentId: string | null, agentName: string, tabId: string | null,
 *   turnId: string | null, runId: string | null, success: boolean, summary: string, detail?: string,
 *   durationMs: number | null, inputTokens: number, outputTokens: number, costUsd: number, createdAt: string }} Entry
 */

/**
 * `maestro history [--agent A] [--kind K…] [--since T] [--limit N]`: the timeline, newest first.
 * `--since` is applied while paging (the timeline is newest first, so paging stops at the first
 * older entry); the bridge's `from` is a Date that plain JSON cannot carry, and this way the
 * command runs the same over HTTP and headless.
 * @param {import("../program/define.mjs").Ctx} ctx
 * @param {{ agent?: string, kind?: string[], since?: string, limit?: string, failed?: boolean }} o
 */
export async function history(ctx, o) {
  const kinds = (o.kind ?? [])
    .flatMap((k) => k.split(","))
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of kinds) {
    if (!HISTORY_KINDS.includes(k))
      throw new CliError(`--kind ${JSON.stringify(k)} is not one of ${HISTORY_KINDS.join(", ")}.`, EXIT.USAGE, "USAGE");
  }
  const since = o.since === undefined ? null : parseSince(o.since);
  const limit = positiveInt(o.limit, "--limit", 50);
  await withClient(ctx, true, async (client) => {
    const agent = o.agent === undefined ? null : await findAgent(client, o.agent);
    /** @type {Entry[]} */
    const entries = [];
    /** @type {string | null} */
    let cursor = null;
    paging: for (;;) {
      /** @type {{ items: Entry[], nextCursor: string | null }} */
      const page = await client.query("history.list", {
        ...(agent ? { agentId: agent.id } : {}),
        ...(kinds.length ? { kinds } : {}),
        ...(o.failed ? { success: false } : {}),
        ...(cursor ? { cursor } : {}),
        limit: Math.min(100, limit - entries.length),
      });
      for (const e of page.items) {
        if (since && new Date(e.createdAt).getTime() < since.getTime()) break paging;
        entries.push(e);
        if (entries.length >= limit) break paging;
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    if (ctx.out.json)
      return ctx.out.data(
        entries.map((e) => ({ ...e, type: e.kind, timestamp: e.createdAt, elapsedTimeMs: e.durationMs, cost: e.costUsd })),
      );
    if (entries.length === 0) return ctx.out.line("No History entries.");
    const { green, red } = ctx.out.colors;
    ctx.out.result(
      table(
        ["TIME", "KIND", "AGENT", "OK", "COST", "SUMMARY"],
        entries.map((e) => [
          e.createdAt,
          e.kind,
          e.agentName || "-",
          e.success ? green("✓") : red("✗"),
          e.costUsd ? `$${e.costUsd.toFixed(4)}` : "-",
          oneLine(e.summary, 60),
        ]),
      ),
    );
  });
}
