"use client";

import { useMemo, useState } from "react";
import { layers as layersOf } from "@/lib/missions/graph";
import type { MissionView } from "@/lib/missions/types";
import { Switch } from "../ui/switch";
import { FEATURE_STATUS_COLOR, FEATURE_STATUS_LABEL } from "./mission-meta";

const NODE_W = 148;
const NODE_H = 46;
const COL_GAP = 40;
const ROW_GAP = 12;
const PAD = 8;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The dependency graph, drawn: features in columns by layer, edges as curves from a dependency
 * to its dependent, each node in its status colour with the status in words. Sealed milestones
 * fold away (a switch shows them), so the phone keeps what still moves; wider graphs scroll
 * sideways. Tapping a node opens the feature.
 */
export function MissionGraph({ view, onOpenFeature }: { view: MissionView; onOpenFeature: (key: string) => void }) {
  const sealed = useMemo(() => new Set(view.milestones.filter((m) => m.status === "sealed").map((m) => m.key)), [view.milestones]);
  const [showSealed, setShowSealed] = useState(false);
  const shown = useMemo(
    () => view.features.filter((f) => showSealed || !sealed.has(f.milestoneKey) || sealed.size === view.milestones.length),
    [view.features, view.milestones.length, sealed, showSealed],
  );
  const hidden = view.features.length - shown.length;

  const layout = useMemo(() => {
    const layers = layersOf(shown.map((f) => ({ id: f.key, dependsOn: f.dependsOn })));
    const pos = new Map<string, { x: number; y: number }>();
    const rows = Math.max(1, ...layers.map((l) => l.length));
    // Each column is centred on the tallest, so a diamond reads as one.
    layers.forEach((keys, col) => {
      const top = ((rows - keys.length) * (NODE_H + ROW_GAP)) / 2;
      keys.forEach((key, row) => pos.set(key, { x: PAD + col * (NODE_W + COL_GAP), y: PAD + top + row * (NODE_H + ROW_GAP) }));
    });
    return {
      pos,
      width: PAD * 2 + layers.length * NODE_W + Math.max(0, layers.length - 1) * COL_GAP,
      height: PAD * 2 + rows * NODE_H + (rows - 1) * ROW_GAP,
    };
  }, [shown]);

  const byKey = new Map(shown.map((f) => [f.key, f]));
  const edges = shown.flatMap((f) =>
    f.dependsOn
      .filter((d) => byKey.has(d))
      .map((d) => {
        const a = layout.pos.get(d)!;
        const b = layout.pos.get(f.key)!;
        const x1 = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2;
        const x2 = b.x;
        const y2 = b.y + NODE_H / 2;
        const mid = (x1 + x2) / 2;
        const done = byKey.get(d)!.status === "done" || byKey.get(d)!.status === "skipped";
        return { id: `${d}->${f.key}`, path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 4},${y2}`, done };
      }),
  );

  return (
    <div>
      {sealed.size > 0 && sealed.size < view.milestones.length && (
        <div className="mb-2 flex min-h-11 items-center justify-between gap-3 text-sm text-muted">
          <span>
            {showSealed ? "Showing sealed milestones" : `${hidden} ${hidden === 1 ? "feature" : "features"} of sealed milestones folded`}
          </span>
          <Switch checked={showSealed} onChange={setShowSealed} aria-label="Show sealed milestones" />
        </div>
      )}
      <div className="overflow-x-auto rounded-xl border border-border bg-bg [-webkit-overflow-scrolling:touch]">
        <svg
          role="group"
          aria-label="Dependency graph"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          className="block"
        >
          <defs>
            <marker id="mg-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 Z" fill="var(--color-muted)" />
            </marker>
          </defs>
          {edges.map((e) => (
            <path
              key={e.id}
              d={e.path}
              fill="none"
              stroke={e.done ? "var(--color-ok)" : "var(--color-muted)"}
              strokeOpacity={e.done ? 0.7 : 0.55}
              strokeWidth={1.5}
              strokeDasharray={e.done ? undefined : "4 3"}
              markerEnd="url(#mg-arrow)"
            />
          ))}
          {shown.map((f) => {
            const p = layout.pos.get(f.key)!;
            const color = FEATURE_STATUS_COLOR[f.status];
            return (
              <g
                key={f.key}
                role="button"
                tabIndex={0}
                data-node={f.key}
                data-status={f.status}
                aria-label={`${f.title} (${f.key}): ${FEATURE_STATUS_LABEL[f.status]}`}
                transform={`translate(${p.x},${p.y})`}
                className="cursor-pointer outline-none [&:focus-visible>rect:first-child]:stroke-[var(--color-accent)]"
                onClick={() => onOpenFeature(f.key)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    onOpenFeature(f.key);
                  }
                }}
              >
                <rect width={NODE_W} height={NODE_H} rx={10} fill="var(--color-surface)" stroke={color} strokeWidth={2} />
                <rect x={0} y={0} width={6} height={NODE_H} rx={3} fill={color} />
                <text x={14} y={19} fontSize={13} fontWeight={600} fill="var(--color-text)">
                  {clip(f.title, 17)}
                </text>
                <text x={14} y={36} fontSize={11} fill="var(--color-muted)">
                  {clip(`${FEATURE_STATUS_LABEL[f.status]} · ${f.key}`, 24)}
                </text>
                {f.status === "in-progress" && (
                  <circle cx={NODE_W - 10} cy={10} r={4} fill="var(--color-busy)" className="motion-safe:animate-pulse" />
                )}
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
