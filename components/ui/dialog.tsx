"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { IconX } from "./icons";
import { cn } from "./cn";
import { focusableIn, hideOthers, lockScroll, modalState } from "./focusable";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  /** Visible heading; also the dialog's accessible name unless `ariaLabel` is given. */
  title?: ReactNode;
  description?: ReactNode;
  ariaLabel?: string;
  children: ReactNode;
  /** sheet: bottom sheet on phones, centered on wider screens. center: centered everywhere. top: palette-style. */
  variant?: "sheet" | "center" | "top";
  size?: "sm" | "md" | "lg";
  /** Show the header row (title + close button). */
  header?: boolean;
  className?: string;
}

const SIZES = { sm: "sm:max-w-md", md: "sm:max-w-lg", lg: "sm:max-w-2xl" };

/**
 * A modal dialog: role="dialog" + aria-modal, Escape closes, focus is trapped inside and given
 * back to the opener on close, the rest of the page is inert. Rendered in a portal.
 */
export function Dialog(props: DialogProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted || !props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({
  onClose,
  title,
  description,
  ariaLabel,
  children,
  variant = "sheet",
  size = "md",
  header = true,
  className,
}: DialogProps) {
  const overlayRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const pressStartedOnOverlay = useRef(false);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const overlay = overlayRef.current!;
    const panel = panelRef.current!;
    const restoreOthers = hideOthers(overlay);
    const unlock = lockScroll();
    const leave = modalState.enter();
    const preferred = panel.querySelector<HTMLElement>("[data-autofocus]");
    const first = preferred ?? focusableIn(panel).find((el) => !el.hasAttribute("data-dialog-close"));
    (first ?? panel).focus({ preventScroll: true });
    return () => {
      restoreOthers();
      unlock();
      leave();
      if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape") {
      e.stopPropagation();
      e.preventDefault();
      onCloseRef.current();
      return;
    }
    if (e.key !== "Tab") return;
    e.stopPropagation();
    const items = focusableIn(panelRef.current!);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const firstEl = items[0]!;
    const lastEl = items[items.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === firstEl || !panelRef.current!.contains(active))) {
      e.preventDefault();
      lastEl.focus();
    } else if (!e.shiftKey && (active === lastEl || !panelRef.current!.contains(active))) {
      e.preventDefault();
      firstEl.focus();
    }
  }

  return (
    <div
      ref={overlayRef}
      className={cn(
        "fixed inset-0 z-50 flex animate-fade-in justify-center bg-black/55",
        variant === "sheet" && "items-end sm:items-center sm:p-6",
        variant === "center" && "items-center p-4",
        variant === "top" && "items-start p-3 pt-[max(0.75rem,env(safe-area-inset-top))] sm:pt-[12vh]",
      )}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => (pressStartedOnOverlay.current = e.target === e.currentTarget)}
      onClick={(e) => {
        if (e.target === e.currentTarget && pressStartedOnOverlay.current) onCloseRef.current();
      }}
    >
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-label={ariaLabel}
        aria-labelledby={ariaLabel ? undefined : titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        className={cn(
          "relative flex w-full flex-col overflow-hidden border border-border bg-surface text-text shadow-2xl outline-none",
          variant === "sheet" &&
            "max-h-[92dvh] animate-sheet-in rounded-t-3xl pb-[env(safe-area-inset-bottom)] sm:animate-pop-in sm:rounded-2xl sm:pb-0",
          variant !== "sheet" && "max-h-[85dvh] animate-pop-in rounded-2xl",
          SIZES[size],
          className,
        )}
      >
        {variant === "sheet" && <div aria-hidden="true" className="mx-auto mt-2 h-1.5 w-10 shrink-0 rounded-full bg-border sm:hidden" />}
        {header && (
          <div className="flex shrink-0 items-start gap-3 px-5 pt-4 pb-1 sm:pt-5">
            <div className="min-w-0 flex-1">
              {title && (
                <h2 id={titleId} className="text-lg leading-snug font-semibold tracking-tight">
                  {title}
                </h2>
              )}
              {description && (
                <p id={descId} className="mt-1 text-[15px] leading-relaxed text-muted">
                  {description}
                </p>
              )}
            </div>
            <button
              type="button"
              data-dialog-close
              onClick={() => onCloseRef.current()}
              aria-label="Close"
              className="-mt-1 -mr-2 inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted hover:bg-surface-2 hover:text-text"
            >
              <IconX />
            </button>
          </div>
        )}
        {children}
      </div>
    </div>
  );
}

/** Scrollable body + sticky footer layout for dialog content. */
export function DialogBody({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("min-h-0 flex-1 overflow-y-auto px-5 py-4", className)}>{children}</div>;
}

export function DialogFooter({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        "flex shrink-0 flex-col-reverse gap-2 border-t border-border bg-surface px-5 py-4 sm:flex-row sm:justify-end",
        className,
      )}
    >
      {children}
    </div>
  );
}
