import { TRPCClientError } from "@trpc/client";

export interface ReadableError {
  message: string;
  hint?: string;
  fieldErrors: Record<string, string>;
  code?: string;
  /** The request never got an answer (bridge down, network gone). */
  network: boolean;
}

/** Turns whatever a tRPC call threw into what a form can show. */
export function readError(err: unknown): ReadableError {
  if (err instanceof TRPCClientError) {
    const data = err.data as { code?: string; hint?: string; fieldErrors?: Record<string, string> | undefined } | undefined | null;
    if (!data) {
      return { message: "Can't reach Maestro. Check that it is running, then try again.", fieldErrors: {}, network: true };
    }
    return { message: err.message, hint: data.hint, fieldErrors: data.fieldErrors ?? {}, code: data.code, network: false };
  }
  return { message: err instanceof Error ? err.message : "Something went wrong.", fieldErrors: {}, network: false };
}

/** True for transport failures (no answer, or an answer that is not the API's). */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof TRPCClientError) return !err.data;
  return err instanceof TypeError;
}
