"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { IconCheck, IconError, IconX } from "./icons";
import { cn } from "./cn";

type Tone = "ok" | "bad";
interface Toast {
  id: number;
  message: string;
  tone: Tone;
}

const ToastContext = createContext<(message: string, tone?: Tone) => void>(() => {});

/** Short confirmations and failures, announced politely, gone after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, tone: Tone = "ok") => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-2), { id, message, tone }]);
      window.setTimeout(() => dismiss(id), tone === "bad" ? 7000 : 3500);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-[calc(5.5rem+env(safe-area-inset-bottom))] z-[70] flex flex-col items-center gap-2 px-4 lg:right-6 lg:bottom-6 lg:left-auto lg:items-end"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            className="pointer-events-auto flex max-w-md animate-pop-in items-center gap-2.5 rounded-2xl border border-border bg-surface py-2 pr-1.5 pl-3.5 text-[15px] shadow-xl"
          >
            {t.tone === "ok" ? <IconCheck className="size-4 shrink-0 text-ok" /> : <IconError className="size-4 shrink-0 text-bad" />}
            <span className={cn("min-w-0 flex-1", t.tone === "bad" && "text-text")}>{t.message}</span>
            <button
              type="button"
              aria-label="Dismiss"
              onClick={() => dismiss(t.id)}
              className="inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-muted hover:bg-surface-2 lg:size-8"
            >
              <IconX className="size-4" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
