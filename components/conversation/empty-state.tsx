"use client";

import { IconSparkle } from "./icons";

/** What the simulator does for real (simulator/intent.mjs reads these phrasings). */
export const SIMULATOR_LINE = "Simulator: it plans checklists, writes the files you name and works through Auto Run. Try one:";
export const SIMULATOR_EXAMPLES = [
  "Plan a todo app",
  "Write a file named hello.txt containing hi",
  "Plan a todo app in the Auto Run folder",
];

/** A tab with no turns yet: what a message will do, and (simulator) a few prompts to try. */
export function TabEmptyState({
  providerLabel,
  folder,
  simulator,
  onExample,
}: {
  providerLabel: string;
  folder: string;
  simulator: boolean;
  onExample: (prompt: string) => void;
}) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center px-2 py-10 text-center">
      <span aria-hidden="true" className="inline-flex size-12 items-center justify-center rounded-2xl bg-accent/12 text-accent">
        <IconSparkle className="size-6" />
      </span>
      <p className="mt-4 max-w-md text-[15px] leading-relaxed text-muted">
        Each message runs <span className="font-semibold text-text">{providerLabel}</span> in{" "}
        <span className="font-mono text-[13px] [overflow-wrap:anywhere] text-text">{folder}</span>; its reply, tool calls and cost stream in
        here.
      </p>
      {simulator && (
        <div className="mt-6 w-full max-w-md">
          <p className="mb-3 text-sm text-muted">{SIMULATOR_LINE}</p>
          <ul className="flex flex-wrap justify-center gap-2">
            {SIMULATOR_EXAMPLES.map((p) => (
              <li key={p}>
                <button
                  type="button"
                  onClick={() => onExample(p)}
                  className="min-h-11 rounded-full border border-border bg-surface px-4 text-sm font-medium text-text hover:border-accent/50 hover:bg-accent/8 lg:min-h-9"
                >
                  {p}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
