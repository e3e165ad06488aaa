"use client";

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { activeMention, applyMention } from "@/lib/mentions";
import { mentionName } from "@/lib/groupchat/mentions";
import type { ParticipantView } from "@/lib/groupchat/types";
import { useCoarsePointer } from "../conversation/composer";
import { SuggestionList, type Suggestion } from "../conversation/composer-suggest";
import { IconSend } from "../conversation/icons";
import { cn } from "../ui/cn";

export interface MentionCandidate {
  agentId: string;
  name: string;
}

/** What `@…` at the caret offers: the chat's participants first, then agents a mention would add. */
export function mentionSuggestions(
  value: string,
  caret: number,
  participants: readonly Pick<ParticipantView, "agentId" | "agentName">[],
  others: readonly MentionCandidate[],
): Suggestion[] {
  const mention = activeMention(value, caret);
  if (!mention) return [];
  const q = mention.query.toLowerCase();
  const matches = (name: string) => mentionName(name).toLowerCase().includes(q);
  const inChat = new Set(participants.map((p) => p.agentId));
  const rows = [
    ...participants.filter((p) => matches(p.agentName)).map((p) => ({ agentId: p.agentId, name: p.agentName, detail: "in this chat" })),
    ...others
      .filter((a) => !inChat.has(a.agentId) && matches(a.name))
      .map((a) => ({ agentId: a.agentId, name: a.name, detail: "adds it to the chat" })),
  ];
  return rows.slice(0, 8).map((r) => ({
    key: r.agentId,
    label: `@${mentionName(r.name)}`,
    detail: r.detail,
    apply: (v: string) => applyMention(v, mention, mentionName(r.name)),
  }));
}

/**
 * The chat's message box: grows with its text; `@` suggests participants and agents not yet in
 * the chat (mentioning one adds it). Enter sends on desktop; on phones Return is a new line.
 */
export function ChatComposer({
  value,
  onChange,
  onSubmit,
  disabled,
  disabledHint,
  participants,
  others,
  above,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  onSubmit: () => void;
  /** Send waits (a round runs): the hint says why. */
  disabled: boolean;
  disabledHint: string;
  participants: readonly ParticipantView[];
  others: readonly MentionCandidate[];
  above?: ReactNode;
  placeholder: string;
}) {
  const coarse = useCoarsePointer();
  const ref = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const all = useMemo(() => mentionSuggestions(value, caret, participants, others), [value, caret, participants, others]);
  const suggestions = dismissedAt === value ? [] : all;
  const open = suggestions.length > 0;
  useEffect(() => setActive(0), [suggestions.length, value]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    const max = Math.round(window.innerHeight * 0.4);
    el.style.height = `${Math.min(el.scrollHeight, max)}px`;
    el.style.overflowY = el.scrollHeight > max ? "auto" : "hidden";
  }, [value]);

  function pick(s: Suggestion) {
    const next = s.apply(value);
    onChange(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!value.trim() || disabled) return;
    onSubmit();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        setActive((a) => (a + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
        e.preventDefault();
        pick(suggestions[active] ?? suggestions[0]!);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissedAt(value);
        return;
      }
    }
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.metaKey || e.ctrlKey || (!e.shiftKey && !e.altKey && !coarse)) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form
      onSubmit={submit}
      className="shrink-0 border-t border-border bg-surface/95 px-3 pt-2 pb-[max(0.625rem,env(safe-area-inset-bottom))] backdrop-blur-xl sm:px-4"
    >
      <div className="mx-auto w-full max-w-3xl">
        {above}
        <SuggestionList id={listId} items={suggestions} active={active} onPick={pick} />
        <div className="flex items-end gap-1.5 rounded-2xl border border-border bg-bg py-1 pr-1 pl-1 transition-colors focus-within:border-accent">
          <label htmlFor={inputId} className="sr-only">
            Message
          </label>
          <textarea
            ref={ref}
            id={inputId}
            value={value}
            rows={1}
            placeholder={placeholder}
            aria-describedby={hintId}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={open ? `${listId}-${active}` : undefined}
            autoComplete="off"
            enterKeyHint={coarse ? "enter" : "send"}
            onChange={(e) => {
              onChange(e.target.value);
              setCaret(e.target.selectionStart ?? e.target.value.length);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onKeyDown={onKeyDown}
            className="max-h-[40dvh] min-h-11 min-w-0 flex-1 resize-none bg-transparent px-2.5 py-[9px] text-[16px] leading-[26px] text-text outline-none placeholder:text-muted/75 focus-visible:outline-none"
          />
          <button
            type="submit"
            aria-label="Send"
            disabled={!value.trim() || disabled}
            className={cn(
              "inline-flex size-11 shrink-0 items-center justify-center rounded-xl bg-accent text-accent-fg shadow-sm transition-opacity hover:brightness-110 disabled:opacity-40",
            )}
          >
            <IconSend className="size-5" />
          </button>
        </div>
        <p id={hintId} className={cn("mt-1.5 px-1 text-xs text-muted", !disabled && "sr-only")}>
          {disabled ? disabledHint : "Type @ to ask one agent by name; a moderator routes everything else."}
        </p>
      </div>
    </form>
  );
}
