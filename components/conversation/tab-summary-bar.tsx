import type { Transcript } from "@/lib/transcript/build";
import { formatCost, formatTokens } from "@/lib/transcript/format";
import { tabTotals, type TabSnapshot } from "@/lib/transcript/tab-totals";
import { cn } from "../ui/cn";
import { Spinner } from "./icons";
import type { StreamState } from "./use-transcript";

/** The strip above a conversation: the whole tab's turns, tokens and cost, and the stream's state. */
export function TabSummaryBar({
  tabName,
  transcript,
  snapshot,
  stream,
}: {
  tabName: string;
  transcript: Transcript;
  snapshot: TabSnapshot | undefined;
  stream: StreamState;
}) {
  const { turns, usage } = tabTotals(transcript, snapshot);
  const empty = transcript.turns.length === 0;
  return (
    <div
      className={cn(
        "flex min-h-8 shrink-0 items-center gap-3 border-b border-border/70 bg-bg px-4 text-xs text-muted sm:px-6",
        empty && "sr-only",
      )}
    >
      <h2 className="sr-only">{tabName}</h2>
      <p className="flex min-w-0 flex-1 items-center gap-x-2.5 overflow-hidden whitespace-nowrap tabular-nums">
        <span>
          {turns.toLocaleString()} {turns === 1 ? "turn" : "turns"}
        </span>
        <span aria-hidden="true">·</span>
        <span title={`${usage.inputTokens.toLocaleString()} tokens in`}>{formatTokens(usage.inputTokens)} in</span>
        <span aria-hidden="true">·</span>
        <span title={`${usage.outputTokens.toLocaleString()} tokens out`}>{formatTokens(usage.outputTokens)} out</span>
        <span aria-hidden="true">·</span>
        <span className="font-medium text-text/80">{formatCost(usage.costUsd)}</span>
      </p>
      {stream !== "live" && !empty && (
        <span className="flex shrink-0 items-center gap-1.5">
          <Spinner className="size-3" />
          {stream === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </span>
      )}
    </div>
  );
}
