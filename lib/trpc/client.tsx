"use client";

import "../zod-jitless";
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, isTRPCClientError, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "../../server/routers/_app";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Fired on `window` when a teammate's share link stops working (detail: the bridge's message). */
export const SHARE_ENDED_EVENT = "maestro:share-ended";

/**
 * A 401 anywhere means this device is not (or no longer) paired: go to the pairing screen. On
 * shared screens it means the link was revoked or expired: the shared shell says so instead.
 */
function onUnauthorized(error: unknown) {
  if (isTRPCClientError<AppRouter>(error) && error.data?.code === "UNAUTHORIZED" && typeof window !== "undefined") {
    if (window.location.pathname.startsWith("/shared")) {
      window.dispatchEvent(new CustomEvent(SHARE_ENDED_EVENT, { detail: error.message }));
      return;
    }
    // A full page load, not a client navigation: nothing cached from the unpaired session survives.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a fresh page on purpose (see above); no router out here
    if (window.location.pathname !== "/pair") window.location.assign("/pair");
  }
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onUnauthorized }),
    mutationCache: new MutationCache({ onError: onUnauthorized }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // An answer from the bridge below 500 will not change on retry; no answer at all might.
        retry: (count, error) => !(isTRPCClientError<AppRouter>(error) && (error.data?.httpStatus ?? Infinity) < 500) && count < 2,
      },
    },
  });
}

const url = "/api/trpc";

/** One QueryClient and tRPC client per browser tab. */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url, transformer: superjson }),
          // `context: { skipBatch: true }`: a request on its own, not held back by the slowest
          // query of its batch (a tab's transcript at open, which should not wait for git status).
          false: splitLink({
            condition: (op) => op.context.skipBatch === true,
            true: httpLink({ url, transformer: superjson }),
            false: httpBatchLink({ url, transformer: superjson }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
