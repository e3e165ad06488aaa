"use client";

import { useState } from "react";
import { readError } from "./trpc-error";

/**
 * State for "act on one row of a list, after a confirm dialog": which row is being confirmed,
 * and the error the action gave (shown in the dialog, cleared when a row is picked again).
 */
export function useConfirmTarget<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Arrow functions, not methods: they are passed on their own (onClose, onError).
  return {
    target,
    error,
    ask: (row: T) => {
      setError(null);
      setTarget(row);
    },
    close: () => {
      setTarget(null);
    },
    fail: (err: unknown) => {
      setError(readError(err).message);
    },
  };
}
