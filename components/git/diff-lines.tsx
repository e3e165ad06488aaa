"use client";

import { useEffect, useState } from "react";
import type { RouterOutputs } from "../ui/trpc-types";

type FileDiff = RouterOutputs["diffs"]["file"];
type Line = FileDiff["lines"][number];

/** Lines drawn in the first frame; the rest follow in chunks, so a 5,000-line diff shows at once. */
const FIRST = 300;
const CHUNK = 1500;

const ROW: Record<Line["kind"], string> = {
  context: "",
  add: "bg-ok/15",
  del: "bg-bad/15",
  meta: "text-muted",
  hunk: "bg-accent/10 text-muted",
};
const SIGN: Record<Line["kind"], string> = { context: " ", add: "+", del: "-", meta: "", hunk: "" };

/** A block of rows; off-screen blocks skip layout and paint (content-visibility). */
function Block({ lines }: { lines: Line[] }) {
  return (
    <div className="[content-visibility:auto]">
      {lines.map((l, i) => (
        <div key={i} className={`flex ${ROW[l.kind]}`} data-kind={l.kind}>
          <span className="w-12 shrink-0 pr-2 text-right text-muted/70 select-none">{l.old ?? ""}</span>
          <span className="w-12 shrink-0 pr-2 text-right text-muted/70 select-none">{l.new ?? ""}</span>
          <span className="w-4 shrink-0 text-muted select-none">{SIGN[l.kind]}</span>
          <span className="diff-text pr-4">{l.text || " "}</span>
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
      className={`font-mono text-[12px] leading-5 ${wrap ? "[&_.diff-text]:break-all [&_.diff-text]:whitespace-pre-wrap" : "min-w-max [&_.diff-text]:whitespace-pre"}`}
    >
      {blocks.map((b, i) => (
        <Block key={i} lines={b} />
      ))}
    </div>
  );
}
