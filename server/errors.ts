/**
 * Domain errors: a stable code, a message a user can act on, an optional hint. Services throw
 * these; the tRPC layer and HTTP routes map the code to a status, and nothing else leaks.
 */
export const AppErrorCode = {
  BAD_INPUT: "BAD_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "RATE_LIMITED",
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { hint?: string; field?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

const GONE: Record<string, string> = {
  Agent: "That agent no longer exists.",
  Tab: "That tab no longer exists.",
  Group: "That group no longer exists.",
  Playbook: "That playbook no longer exists.",
  AutorunRun: "That run no longer exists.",
  PermissionRule: "That rule no longer exists.",
  Approval: "That request no longer exists.",
};

/**
 * Prisma's "the record to update or delete does not exist" (P2025) as our NOT_FOUND, in words
 * for its model. The one place it is mapped: services update and delete by id without reading
 * first, and the tRPC error middleware passes what they throw through here.
 */
export function notFoundFromPrisma(err: unknown): AppError | null {
  const e = err as { code?: unknown; meta?: { modelName?: unknown } } | null;
  if (!e || typeof e !== "object" || e.code !== "P2025") return null;
  const model = typeof e.meta?.modelName === "string" ? e.meta.modelName : "";
  return new AppError("NOT_FOUND", GONE[model] ?? "That no longer exists.", { cause: err });
}

/** What a log line says about something thrown: an Error's stack, anything else as a string. */
export const errorText = (err: unknown): string => (err instanceof Error ? (err.stack ?? String(err)) : String(err));
