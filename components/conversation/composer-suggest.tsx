"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { activeMention, applyMention } from "@/lib/mentions";
import { matchCommands, type SlashCommand } from "@/lib/prompts/slash";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "../ui/cn";

export interface Suggestion {
  key: string;
  label: string;
  detail: string;
  /** The new text and caret when this suggestion is taken. */
  apply(value: string): { text: string; caret: number };
}

const SOURCE_LABEL: Record<SlashCommand["source"], string> = { builtin: "Maestro", user: "Your command", provider: "Provider" };

/**
 * What the composer offers at the caret: files of the agent's folder after `@`, commands after
 * a leading `/` (Maestro's own, the user's, the provider's).
 */
export function useComposerSuggestions(agentId: string, value: string, caret: number): Suggestion[] {
  const trpc = useTRPC();
  const mention = activeMention(value, caret);
  const beforeCaret = value.slice(0, caret);
  const slash = !mention && /^\/[\w:-]*$/.test(beforeCaret) ? beforeCaret.slice(1) : null;

  const files = useQuery(
    trpc.composer.mentions.queryOptions(
      { agentId, query: mention?.query ?? "" },
      { enabled: !!mention, staleTime: 10_000, placeholderData: keepPreviousData },
    ),
  );
  const commands = useQuery(trpc.composer.commands.queryOptions({ agentId }, { enabled: slash !== null, staleTime: 60_000 }));

  return useMemo((): Suggestion[] => {
    if (mention && files.data) {
      return files.data.slice(0, 8).map((path) => ({
        key: `@${path}`,
        label: path,
        detail: "file",
        apply: (v) => applyMention(v, mention, path),
      }));
    }
    if (slash !== null && commands.data) {
      return matchCommands(commands.data, slash, 8).map((c) => ({
        key: `/${c.source}/${c.name}`,
        label: `/${c.name}`,
        detail: c.description || SOURCE_LABEL[c.source],
        apply: (v) => {
          const text = `/${c.name} ${v.slice(slash.length + 1).trimStart()}`;
          return { text, caret: c.name.length + 2 };
        },
      }));
    }
    return [];
  }, [mention?.start, mention?.query, slash, files.data, commands.data]); // eslint-disable-line react-hooks/exhaustive-deps -- recomputed when the trigger or its data changes, not on every keystroke elsewhere in the text
}

/** The suggestion list over the composer (a listbox; the textarea keeps focus). */
export function SuggestionList({
  id,
  items,
  active,
  onPick,
}: {
  id: string;
  items: Suggestion[];
  active: number;
  onPick: (s: Suggestion) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Suggestions"
      className="mb-1.5 max-h-64 overflow-y-auto rounded-xl border border-border bg-surface py-1 shadow-lg"
    >
      {items.map((s, i) => (
        <li
          key={s.key}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          // mousedown, not click: the textarea must not lose focus (and the caret) first.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(s);
          }}
          className={cn(
            "flex min-h-11 cursor-pointer items-center gap-3 px-3 text-sm",
            i === active ? "bg-accent/12 text-text" : "text-text/90",
          )}
        >
          <span className="min-w-0 flex-1 truncate font-mono">{s.label}</span>
          <span className="shrink-0 text-xs text-muted">{s.detail}</span>
        </li>
      ))}
    </ul>
  );
}
