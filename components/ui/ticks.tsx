import { Fragment, type ReactNode } from "react";

/** Renders `backticked` spans of a server message as inline code. */
export function Ticks({ text }: { text: string }): ReactNode {
  const parts = text.split(/`([^`]+)`/g);
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      <code key={i} className="rounded bg-surface-2 px-1 py-px font-mono text-[0.9em] text-text">
        {part}
      </code>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}
