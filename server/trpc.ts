import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { AppError } from "./errors";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms: zod issues and AppError fields, never stack traces.
        fieldErrors:
          cause instanceof ZodError
            ? Object.fromEntries(cause.issues.map((i) => [i.path.join(".") || "_", i.message]))
            : cause instanceof AppError && cause.details.field
              ? { [cause.details.field]: cause.message }
              : undefined,
        hint: cause instanceof AppError ? cause.details.hint : undefined,
        stack: undefined,
      },
    };
  },
});

const TRPC_CODE = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
} as const satisfies Record<AppError["code"], TRPCError["code"]>;

/** Maps domain errors to tRPC errors with the same message. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  if (!result.ok && result.error.cause instanceof ZodError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues[0]?.message ?? "Invalid input.", cause });
  }
  return result;
});

/** The one auth check: every procedure of the app is built on this. */
const isAuthed = t.middleware(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Pair this device first." });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Owner-only procedures. (Scoped share-link principals will get their own check here.) */
export const protectedProcedure = t.procedure.use(isAuthed).use(mapErrors);
