"use client";

import { lazy, memo, Suspense, useId, useState, type ReactNode } from "react";
import type { RawItem, TextItem, ThinkingItem, ToolItem, Turn } from "@/lib/transcript/build";
import { formatToolInput, summarizeToolInput } from "@/lib/transcript/tools";
import { ApprovalCard } from "../approvals/approval-card";
import { IconCheck, IconChevronRight, IconWaiting, IconX } from "../ui/icons";
import { cn } from "../ui/cn";
import { IconDash, IconImage, IconThought, Spinner } from "./icons";

export const loadMarkdown = () => import("./markdown");
const Markdown = lazy(loadMarkdown);

/** Plain text while the markdown renderer loads (it is not in the page's first-load JS). */
function PlainText({ text }: { text: string }) {
  return <div className="[overflow-wrap:anywhere] whitespace-pre-wrap">{text}</div>;
}

function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

// --- the prompt -------------------------------------------------------------------------------

const LONG_PROMPT = 700;

export const PromptBubble = memo(function PromptBubble({
  turn,
  pending,
}: {
  turn: Pick<Turn, "prompt" | "images" | "startedAt">;
  pending?: boolean;
}) {
  const text = turn.prompt ?? "";
  const long = text.length > LONG_PROMPT || text.split("\n").length > 14;
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-col items-end pt-5 pl-8 sm:pl-16">
      <div
        className={cn(
          "max-w-full rounded-2xl rounded-br-md border border-accent/25 bg-accent/10 px-3.5 py-2.5 text-[15px] leading-relaxed text-text",
          pending && "opacity-70",
        )}
      >
        <p className={cn("[overflow-wrap:anywhere] whitespace-pre-wrap", long && !open && "line-clamp-[12]")}>{text}</p>
        {long && (
          <button
            type="button"
            onClick={() => setOpen((v) => !v)}
            className="mt-1 inline-flex min-h-8 items-center text-sm font-medium text-accent underline-offset-2 hover:underline"
          >
            {open ? "Show less" : "Show all"}
          </button>
        )}
        {turn.images > 0 && (
          <p className="mt-1.5 flex items-center gap-1.5 text-[13px] text-muted">
            <IconImage className="size-4" />
            {turn.images === 1 ? "1 image" : `${turn.images} images`}
          </p>
        )}
      </div>
      <p className="mt-1 pr-1 text-xs text-muted tabular-nums">{pending ? "Sending…" : clockTime(turn.startedAt)}</p>
    </div>
  );
});

// --- assistant text ---------------------------------------------------------------------------

export const AssistantText = memo(function AssistantText({ item }: { item: TextItem }) {
  return (
    <div role="article" aria-label="Assistant reply" className="min-w-0 pt-3 text-[15px] leading-relaxed text-text">
      <Suspense fallback={<PlainText text={item.text} />}>
        <Markdown text={item.text} />
      </Suspense>
    </div>
  );
});

// --- disclosures ------------------------------------------------------------------------------

function DisclosureButton({
  open,
  onToggle,
  controls,
  children,
  label,
  describedBy,
  className,
}: {
  open: boolean;
  onToggle: () => void;
  controls: string;
  children: ReactNode;
  label?: string;
  describedBy?: string;
  className?: string;
}) {
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-controls={controls}
      aria-label={label}
      aria-describedby={describedBy}
      onClick={onToggle}
      className={cn("flex min-h-11 w-full min-w-0 items-center gap-2 text-left lg:min-h-9", className)}
    >
      <IconChevronRight
        className={cn("size-4 shrink-0 text-muted transition-transform motion-reduce:transition-none", open && "rotate-90")}
      />
      {children}
    </button>
  );
}

export const ThinkingRow = memo(function ThinkingRow({ item }: { item: ThinkingItem }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const preview = item.text.replace(/\s+/g, " ").trim();
  return (
    <div className="pt-2">
      <DisclosureButton
        open={open}
        onToggle={() => setOpen((v) => !v)}
        controls={id}
        className="-ml-1 rounded-lg px-1 text-sm text-muted hover:text-text"
      >
        <IconThought className="size-4 shrink-0" />
        <span className="shrink-0 font-medium">Thinking</span>
        {!open && (
          <span aria-hidden="true" className="min-w-0 truncate text-muted/80 italic">
            {preview}
          </span>
        )}
      </DisclosureButton>
      {open && (
        <div
          id={id}
          className="mt-1 ml-2 border-l-2 border-border pb-1 pl-4 text-sm leading-relaxed [overflow-wrap:anywhere] whitespace-pre-wrap text-muted italic"
        >
          {item.text}
        </div>
      )}
    </div>
  );
});

const TOOL_STATUS: Record<ToolItem["status"], { label: string; icon: ReactNode; tone: string }> = {
  running: { label: "running", icon: <Spinner className="size-4" />, tone: "text-busy" },
  completed: { label: "completed", icon: <IconCheck className="size-4" />, tone: "text-ok" },
  failed: { label: "failed", icon: <IconX className="size-4" />, tone: "text-bad" },
  interrupted: { label: "no result", icon: <IconDash className="size-4" />, tone: "text-muted" },
};

const WAITING = { label: "waiting for you", icon: <IconWaiting className="size-4" />, tone: "text-wait" };

function firstLine(s: string, max = 160): string {
  const line = s.split("\n").find((l) => l.trim()) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export const ToolRow = memo(function ToolRow({ item }: { item: ToolItem }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const summary = summarizeToolInput(item.name, item.input);
  const waiting = item.approval && !item.approval.decision && item.status === "running";
  const st = waiting ? WAITING : TOOL_STATUS[item.status];
  const input = open ? formatToolInput(item.input) : "";
  const failed = item.status === "failed";
  return (
    <div className="pt-2">
      <div className={cn("rounded-xl border bg-surface", failed ? "border-bad/40" : "border-border")}>
        <DisclosureButton
          open={open}
          onToggle={() => setOpen((v) => !v)}
          controls={panelId}
          className="rounded-xl px-2.5 hover:bg-surface-2/60"
        >
          {/* Named by what it shows ("Bash npm test, completed"): a name that differs from the
              visible words fails speech control and Lighthouse's label-content check. */}
          <span className={cn("shrink-0", st.tone)} title={st.label}>
            {st.icon}
          </span>
          <span className="shrink-0 font-mono text-[13px] font-semibold">{item.name}</span>{" "}
          <span className="min-w-0 flex-1 truncate font-mono text-[13px] text-muted">
            {summary}
            <span className="sr-only">, {st.label}</span>
          </span>
        </DisclosureButton>
        {failed && !open && item.output && (
          <p className="flex items-start gap-1.5 px-3 pb-2.5 pl-9 font-mono text-[12.5px] [overflow-wrap:anywhere] text-bad">
            {firstLine(item.output)}
          </p>
        )}
        {open && (
          <div id={panelId} className="space-y-2.5 border-t border-border px-3 pt-2.5 pb-3">
            {input && (
              <div>
                <p className="mb-1 text-xs font-semibold tracking-wider text-muted uppercase">Input</p>
                <pre tabIndex={0} className="max-h-60 overflow-auto rounded-lg bg-bg px-3 py-2 font-mono text-[12.5px] leading-5">
                  {input}
                </pre>
              </div>
            )}
            <div>
              <p className={cn("mb-1 text-xs font-semibold tracking-wider uppercase", item.isError ? "text-bad" : "text-muted")}>
                {item.isError ? "Error" : "Output"}
              </p>
              {item.output === null ? (
                <p className="text-sm text-muted">{item.status === "running" ? "Waiting for the result…" : "No result was reported."}</p>
              ) : item.output === "" ? (
                <p className="text-sm text-muted">Empty output.</p>
              ) : (
                <pre
                  tabIndex={0}
                  className={cn(
                    "max-h-80 overflow-auto rounded-lg px-3 py-2 font-mono text-[12.5px] leading-5",
                    item.isError ? "border border-bad/30 bg-bad/8 text-bad" : "bg-bg",
                  )}
                >
                  {item.output}
                </pre>
              )}
            </div>
          </div>
        )}
      </div>
      {item.approval && <ApprovalCard approval={item.approval} />}
    </div>
  );
});

export const RawRow = memo(function RawRow({ item }: { item: RawItem }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const n = item.lines.length;
  return (
    <div className="pt-1.5">
      <DisclosureButton
        open={open}
        onToggle={() => setOpen((v) => !v)}
        controls={id}
        className="-ml-1 rounded-lg px-1 text-[13px] text-muted hover:text-text"
      >
        <span>Unparsed output</span>
        <span className="text-muted/80">
          ({n} {n === 1 ? "line" : "lines"})
        </span>
      </DisclosureButton>
      {open && (
        <pre
          id={id}
          tabIndex={0}
          className="mt-1 max-h-60 overflow-auto rounded-lg bg-surface-2/60 px-3 py-2 font-mono text-[12px] leading-5 text-muted"
        >
          {item.lines.join("\n")}
        </pre>
      )}
    </div>
  );
});
