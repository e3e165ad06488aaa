"use client";

import { useEffect, useId, useLayoutEffect, useState, type FormEvent, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { formatElapsed } from "@/lib/transcript/format";
import { cn } from "../ui/cn";
import { Kbd } from "../ui/kbd";
import { useModKey } from "../ui/use-platform";
import { SuggestionList, useComposerSuggestions, type Suggestion } from "./composer-suggest";
import { imagesFromClipboard } from "./attachments";
import { IconSend, IconStop, Spinner } from "./icons";
import { useElapsed } from "./use-elapsed";

/** True on phones and tablets (a coarse primary pointer): Enter then makes a new line. */
export function useCoarsePointer(): boolean {
  const [coarse, setCoarse] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia("(pointer: coarse)");
    const update = () => setCoarse(mq.matches);
    update();
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);
  return coarse;
}

/**
 * The message box: grows with its text up to ~40% of the screen; Send (Enter on desktop,
 * Ctrl/⌘+Enter anywhere; on phones Enter is a new line and the button sends); while a turn
 * runs, how long it has been working and Stop, right above the box. Esc leaves the box.
 */
export function Composer({
  value,
  onChange,
  onSubmit,
  onStop,
  runningSince,
  stopping,
  placeholder,
  textareaRef,
  above,
  willQueue,
  agentId,
  attachButton,
  onPasteImages,
  hasAttachments,
}: {
  /** The "Attach image" button, shown beside Send. */
  attachButton?: ReactNode;
  /** Images pasted into the box (the text part of a paste still goes in as usual). */
  onPasteImages?: (files: File[]) => void;
  /** Images are attached (a message with images still needs some text). */
  hasAttachments?: boolean;
  /** For `@` file and `/` command suggestions. */
  agentId: string;
  value: string;
  onChange: (v: string) => void;
  onSubmit: () => void;
  onStop: () => void;
  /** The running turn's start, or null when the tab is free. */
  runningSince: string | null;
  stopping: boolean;
  placeholder: string;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** The queue, errors: shown above the box. */
  above?: ReactNode;
  /** What Send does now: "queue" while busy or offline. */
  willQueue: boolean;
}) {
  const coarse = useCoarsePointer();
  const mod = useModKey();
  const hintId = useId();
  const inputId = useId();
  const running = runningSince !== null;
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const allSuggestions = useComposerSuggestions(agentId, value, caret);
  const suggestions = dismissedAt === value ? [] : allSuggestions;
  const open = suggestions.length > 0;
  useEffect(() => setActive(0), [suggestions.length, value]);

  function pick(sug: Suggestion) {
    const next = sug.apply(value);
    onChange(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      const el = textareaRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  }

  // Grow with the text, up to 40% of the viewport; then scroll inside.
  useLayoutEffect(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.style.height = "auto";
    const max = Math.round(window.innerHeight * 0.4);
    el.style.height = `${Math.min(el.scrollHeight, max)}px`;
    el.style.overflowY = el.scrollHeight > max ? "auto" : "hidden";
  }, [value, textareaRef]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!value.trim()) return;
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
    if (e.key === "Escape") {
      e.preventDefault();
      e.currentTarget.blur();
      return;
    }
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.metaKey || e.ctrlKey) {
      e.preventDefault();
      submit();
    } else if (!e.shiftKey && !e.altKey && !coarse) {
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
        {running && <WorkingLine since={runningSince} stopping={stopping} onStop={onStop} />}
        <div className="flex items-end gap-1.5 rounded-2xl border border-border bg-bg py-1 pr-1 pl-1 transition-colors focus-within:border-accent">
          <label htmlFor={inputId} className="sr-only">
            Message
          </label>
          <textarea
            ref={textareaRef}
            id={inputId}
            value={value}
            rows={1}
            placeholder={hasAttachments ? "Say what to do with the image…" : placeholder}
            aria-describedby={hintId}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={open ? `${listId}-${active}` : undefined}
            autoComplete="off"
            autoCorrect="on"
            spellCheck
            enterKeyHint={coarse ? "enter" : "send"}
            onChange={(e) => {
              onChange(e.target.value);
              setCaret(e.target.selectionStart ?? e.target.value.length);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onKeyDown={onKeyDown}
            onPaste={(e) => {
              if (!onPasteImages) return;
              const files = imagesFromClipboard(e.clipboardData);
              if (files.length === 0) return;
              if (!e.clipboardData.getData("text/plain")) e.preventDefault();
              onPasteImages(files);
            }}
            className="max-h-[40dvh] min-h-11 min-w-0 flex-1 resize-none bg-transparent px-2.5 py-[9px] text-[16px] leading-[26px] text-text outline-none placeholder:text-muted/75 focus-visible:outline-none"
          />
          {attachButton}
          <button
            type="submit"
            aria-label="Send"
            title={willQueue ? "Queue this message (it is sent when the tab is free)" : "Send"}
            disabled={!value.trim()}
            className={cn(
              "inline-flex size-11 shrink-0 items-center justify-center rounded-xl transition-[background-color,opacity] disabled:opacity-40",
              willQueue ? "border border-accent/40 bg-accent/12 text-accent" : "bg-accent text-accent-fg shadow-sm hover:brightness-110",
            )}
          >
            <IconSend className="size-5" />
          </button>
        </div>
        <p id={hintId} className={cn("mt-1.5 px-1 text-xs text-muted", !willQueue && (coarse ? "sr-only" : "max-lg:sr-only"))}>
          {willQueue ? (
            "What you send now waits in the queue until the tab is free."
          ) : coarse ? (
            "The Send button sends; Return makes a new line."
          ) : (
            <span className="inline-flex flex-wrap items-center gap-1">
              <Kbd>Enter</Kbd> to send · <Kbd>Shift</Kbd>+<Kbd>Enter</Kbd> new line · <Kbd>/</Kbd> to come back here
              <span className="sr-only">, {mod}+Enter also sends</span>
            </span>
          )}
        </p>
      </div>
    </form>
  );
}

function WorkingLine({ since, stopping, onStop }: { since: string; stopping: boolean; onStop: () => void }) {
  const elapsed = useElapsed(since);
  return (
    <div className="mb-2 flex items-center gap-2 pl-1">
      <p className="flex min-w-0 flex-1 items-center gap-2 text-sm font-medium text-busy">
        <Spinner className="size-4 shrink-0" />
        <span className="truncate">
          {stopping ? "Stopping…" : "Working…"} <span className="tabular-nums">{formatElapsed(elapsed)}</span>
        </span>
      </p>
      <button
        type="button"
        onClick={onStop}
        disabled={stopping}
        className="inline-flex min-h-11 shrink-0 items-center gap-2 rounded-xl border border-border bg-surface px-4 text-sm font-semibold text-text shadow-sm hover:bg-surface-2 disabled:opacity-60 lg:min-h-9"
      >
        <IconStop className="size-4 text-bad" />
        Stop
      </button>
    </div>
  );
}
