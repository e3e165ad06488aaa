"use client";

import { useEffect, useState } from "react";
import type { RouterOutputs } from "../ui/trpc-types";

type FileDiff = RouterOutputs["diffs"]["file"];
type Line = FileDiff["lines"][number];

/** Lines drawn in the first frame; the rest follow in chunks, so a 5,000-line diff shows at once. */
const FIRST = 300;
const CHUNK = 5000;

const ROW: Record<Line["kind"], string> = {
  context: "",
  add: "bg-ok/15",
  del: "bg-bad/15",
  meta: "text-muted",
  hunk: "bg-accent/10 text-muted",
};
const SIGN: Record<Line["kind"], string> = { context: " ", add: "+", del: "-", meta: "", hunk: "" };

const pad = (n: number | null) => (n === null ? "" : String(n)).padStart(5);

/**
 * A block of rows; off-screen blocks skip layout and paint (content-visibility). A row is one
 * element: its gutter (old and new line numbers, the sign) is a ::before drawn from a data
 * attribute, and a hanging indent keeps wrapped text clear of it. Half the DOM nodes of a
 * span-per-column row, which is what keeps 5,000 lines inside the budget.
 */
function Block({ lines }: { lines: Line[] }) {
  return (
    <div className="[content-visibility:auto]">
      {lines.map((l, i) => (
        <div
          key={i}
          className={`diff-row pr-4 ${ROW[l.kind]}`}
          data-kind={l.kind}
          data-g={l.kind === "meta" || l.kind === "hunk" ? "              " : `${pad(l.old)} ${pad(l.new)} ${SIGN[l.kind]} `}
        >
          {l.text || " "}
        </div>
      ))}
    </div>
  );
}

/**
 * A unified diff: two line-number gutters, +/− tinting, no syntax colouring (a tokenizer costs
 * more than the 300 ms budget allows on a phone for big diffs). Scrolls sideways unless `wrap`.
 */
export function DiffLines({ lines, wrap }: { lines: Line[]; wrap: boolean }) {
  const [shown, setShown] = useState(Math.min(FIRST, lines.length));
  useEffect(() => {
    setShown(Math.min(FIRST, lines.length));
  }, [lines]);
  useEffect(() => {
    if (shown >= lines.length) return;
    const id = requestAnimationFrame(() => setShown((s) => Math.min(lines.length, s + CHUNK)));
    return () => cancelAnimationFrame(id);
  }, [shown, lines.length]);
  const blocks: Line[][] = [];
  for (let i = 0; i < shown; i += 100) blocks.push(lines.slice(i, Math.min(shown, i + 100)));
  return (
    <div
      data-testid="diff-lines"
      data-rendered={shown}
      data-total={lines.length}
      className={`font-mono text-[12px] leading-5 [&_.diff-row]:pl-[14ch] [&_.diff-row]:-indent-[14ch] [&_.diff-row]:before:whitespace-pre [&_.diff-row]:before:text-muted/70 [&_.diff-row]:before:content-[attr(data-g)] ${wrap ? "[&_.diff-row]:break-all [&_.diff-row]:whitespace-pre-wrap" : "min-w-max [&_.diff-row]:whitespace-pre"}`}
    >
      {blocks.map((b, i) => (
        <Block key={i} lines={b} />
      ))}
    </div>
  );
}
