import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup } from "@testing-library/react";
import { createTRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { ReactNode } from "react";
import { afterEach, vi } from "vitest";
import { TRPCProvider } from "@/lib/trpc/client";
import { ToastProvider } from "@/components/ui/toaster";
import type { AppRouter } from "@/server/routers/_app";

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

/** Answers one procedure (`"tabs.rename"`): its return value, or a thrown error. */
export type Handler = (input: never) => unknown;

/** An error as the bridge sends it (a tRPC error response with `data.code`, and a hint). */
export function bridgeError(message: string, code = "BAD_REQUEST", extra: { hint?: string; fieldErrors?: Record<string, string> } = {}) {
  return TRPCClientError.from({ error: { message, code: -32600, data: { code, httpStatus: 400, ...extra } } });
}

/**
 * The client side of tRPC with the bridge replaced at the boundary: every call goes to a
 * `vi.fn` by its path (missing ones throw). Queries, mutations and the cache are the real
 * TanStack Query ones, so optimistic updates and invalidation run as in the app.
 */
export function testBridge(handlers: Record<string, Handler>) {
  const fns = Object.fromEntries(Object.entries(handlers).map(([path, h]) => [path, vi.fn(h as (input: unknown) => unknown)]));
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        const fn = fns[op.path];
        Promise.resolve()
          .then(() => {
            if (!fn) throw new Error(`no test handler for ${op.path}`);
            return fn(op.input);
          })
          .then(
            (data) => {
              // A copy, as if it had crossed the wire: the test's own objects never become cache state.
              observer.next({ result: { type: "data", data: data === undefined ? data : structuredClone(data) } });
              observer.complete();
            },
            (err: unknown) => observer.error(TRPCClientError.from(err as Error)),
          );
        return () => {};
      });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  const trpcClient = createTRPCClient<AppRouter>({ links: [link] });
  function Wrapper({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <ToastProvider>{children}</ToastProvider>
        </TRPCProvider>
      </QueryClientProvider>
    );
  }
  return { fns, queryClient, Wrapper };
}
