"use client";

import { Fragment, useMemo, type ReactNode } from "react";
import { codeLines, parseChecklist, type ChecklistTask } from "@/lib/autorun/checklist";
import { cn } from "../ui/cn";

const HEADING = /^(#{1,6})\s+(.*)$/;

/**
 * A line-by-line preview built on the checklist engine, so what shows as a box is exactly what
 * Auto Run counts as a task: boxes tick, code stays code, halt markers and review gates (ours and
 * desktop's HITL) show as badges. Not a full markdown renderer on purpose. Without `onToggle` it
 * is read-only (a preview of what would be saved).
 */
export function ChecklistPreview({
  markdown,
  onToggle,
  disabled,
}: {
  markdown: string;
  onToggle?: (task: ChecklistTask, done: boolean) => void;
  disabled?: boolean;
}) {
  const { lines, byLine, fenced, halt, gates } = useMemo(() => {
    const c = parseChecklist(markdown);
    return {
      lines: markdown.split("\n").map((l) => l.replace(/\r$/, "")),
      byLine: new Map(c.tasks.map((t) => [t.line, t])),
      fenced: codeLines(markdown),
      halt: c.halt,
      gates: new Map(c.reviews.map((r) => [r.line, r])),
    };
  }, [markdown]);

  const out: ReactNode[] = [];
  let code: string[] = [];
  const flushCode = (key: number) => {
    if (code.length)
      out.push(
        <pre key={`c${key}`} className="my-2 overflow-x-auto rounded-lg border border-border bg-bg p-3 font-mono text-[13px] leading-5">
          {code.join("\n")}
        </pre>,
      );
    code = [];
  };
  lines.forEach((line, i) => {
    if (fenced.has(i)) {
      code.push(line);
      return;
    }
    flushCode(i);
    const task = byLine.get(i);
    if (task) {
      out.push(
        <label
          key={i}
          className={cn("flex items-start gap-3 py-1.5", onToggle ? "min-h-11 cursor-pointer" : "min-h-8")}
          style={{ paddingLeft: `${task.depth * 1.5}rem` }}
        >
          <input
            type="checkbox"
            className="mt-0.5 size-5 shrink-0 accent-[var(--color-accent)]"
            checked={task.done}
            disabled={disabled || !onToggle}
            readOnly={!onToggle}
            onChange={(e) => onToggle?.(task, e.target.checked)}
            aria-label={task.text || `Task ${task.index + 1}`}
          />
          <span className={cn("min-w-0 text-[15px] leading-6 break-words", task.done && "text-muted line-through")}>{task.text}</span>
        </label>,
      );
      return;
    }
    // Markers as the engine found them: a marker quoted in inline code stays prose.
    const gate = gates.get(i);
    if (gate || halt?.line === i) {
      const label = gate ? (gate.kind === "hitl" ? "Needs your review" : "Review") : "Halt";
      const reason = gate ? gate.reason : (halt?.reason ?? "");
      out.push(
        <p
          key={i}
          className={cn(
            "my-1 inline-flex flex-wrap gap-x-1 rounded-lg px-2 py-1 text-[13px] font-medium",
            gate ? "bg-wait/15 text-wait" : "bg-busy/15 text-busy",
          )}
          data-testid={gate ? "preview-gate" : "preview-halt"}
        >
          {label}
          {reason && `: ${reason}`}
          {gate?.artifact && <span className="font-normal">(look at {gate.artifact})</span>}
        </p>,
      );
      return;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      out.push(
        <p key={i} className={cn("mt-3 font-semibold", level === 1 ? "text-xl" : level === 2 ? "text-lg" : "text-base")}>
          {heading[2]}
        </p>,
      );
      return;
    }
    out.push(
      line.trim() ? (
        <p key={i} className="py-0.5 text-[15px] leading-6 break-words whitespace-pre-wrap">
          {line}
        </p>
      ) : (
        <Fragment key={i}>
          <div className="h-2" />
        </Fragment>
      ),
    );
  });
  flushCode(lines.length);
  return <div data-testid="checklist-preview">{out}</div>;
}
