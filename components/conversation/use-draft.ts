"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { readStored, storageKeys, writeStored } from "../ui/storage";

/** A message id the bridge accepts as a client id (letters, digits, - _ .), also without randomUUID (plain-http LAN). */
export const newId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/** The unsent text of the composer, per tab, so a reload or a tab switch keeps it. */
export function useDraft(tabId: string): [string, (v: string) => void] {
  const key = storageKeys.draft(tabId);
  const [value, setValue] = useState(() => (typeof window === "undefined" ? "" : (readStored(key) ?? "")));
  const timer = useRef<number | null>(null);
  const latest = useRef(value);

  useEffect(
    () => () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
        writeStored(key, latest.current ? latest.current : null);
      }
    },
    [key],
  );

  const set = useCallback(
    (v: string) => {
      latest.current = v;
      setValue(v);
      if (timer.current !== null) window.clearTimeout(timer.current);
      // An emptied box (sent) is written at once; typing is written when it pauses.
      if (!v) {
        timer.current = null;
        writeStored(key, null);
        return;
      }
      timer.current = window.setTimeout(() => {
        timer.current = null;
        writeStored(key, latest.current || null);
      }, 300);
    },
    [key],
  );
  return [value, set];
}
