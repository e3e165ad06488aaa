"use client";

import { useEffect, useState } from "react";

function useTicking(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [active, ms]);
  return now;
}

/** Elapsed time of a running turn, from the server's clock (never negative on a skewed phone). */
export function useElapsed(startedAt: string | null): number {
  const now = useTicking(startedAt !== null);
  if (!startedAt) return 0;
  const t = Date.parse(startedAt);
  return Number.isNaN(t) ? 0 : Math.max(0, now - t);
}
