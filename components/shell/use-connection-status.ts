"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { connection } from "./connection-store";
import { isNetworkError } from "../ui/trpc-error";

const PROBE_MS = 3000;

/**
 * "down" after a request fails without an answer from the bridge or the browser goes offline;
 * "up" again as soon as any query succeeds. While down it probes /api/health and, once that
 * answers, refetches what is on screen (whose success clears the state).
 */
export function useConnectionStatus(): "up" | "down" {
  const queryClient = useQueryClient();
  const down = useSyncExternalStore(connection.subscribe, connection.isDown, () => false);

  useEffect(() => {
    const offQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== "updated") return;
      if (event.action.type === "success") connection.set(false);
      else if (event.action.type === "error" && isNetworkError(event.action.error)) connection.set(true);
    });
    const offMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type !== "updated") return;
      if (event.action.type === "success") connection.set(false);
      else if (event.action.type === "error" && isNetworkError(event.action.error)) connection.set(true);
    });
    const onOffline = () => connection.set(true);
    window.addEventListener("offline", onOffline);
    if (!navigator.onLine) connection.set(true);
    return () => {
      offQueries();
      offMutations();
      window.removeEventListener("offline", onOffline);
    };
  }, [queryClient]);

  useEffect(() => {
    if (!down) return;
    let stopped = false;
    let timer = 0;
    const probe = async () => {
      try {
        const res = await fetch("/api/health", { cache: "no-store" });
        if (res.ok && !stopped) {
          await queryClient.refetchQueries({ type: "active" });
          // Nothing active to prove it? The health check is proof enough.
          if (!stopped && queryClient.getQueryCache().findAll({ type: "active" }).length === 0) connection.set(false);
        }
      } catch {
        /* still down */
      }
      if (!stopped) timer = window.setTimeout(() => void probe(), PROBE_MS);
    };
    timer = window.setTimeout(() => void probe(), navigator.onLine ? PROBE_MS : PROBE_MS * 2);
    const onOnline = () => {
      window.clearTimeout(timer);
      void probe();
    };
    window.addEventListener("online", onOnline);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.removeEventListener("online", onOnline);
    };
  }, [down, queryClient]);

  return down ? "down" : "up";
}
