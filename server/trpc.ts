import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { agentInScope, chatInScope, eventInScope } from "../lib/share/scope";
import { checkShareCall, type ShareMeta } from "./auth/share-access";
import { hasOwnerPowers, type Principal } from "./auth/service";
import { AppError, notFoundFromPrisma } from "./errors";
import { transformer } from "./plain-json";
import type { Context } from "./context";

/** Per-procedure meta. `share` opens a procedure to share sessions; without it, owner-only. */
export type ProcedureMeta = ShareMeta;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
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

/** Maps domain errors (and Prisma's record-not-found) to tRPC errors with the same message. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && (result.error.cause instanceof AppError || notFoundFromPrisma(result.error.cause))) {
    const cause = result.error.cause instanceof AppError ? result.error.cause : notFoundFromPrisma(result.error.cause)!;
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  if (!result.ok && result.error.cause instanceof ZodError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues[0]?.message ?? "Invalid input.", cause });
  }
  return result;
});

/**
 * The one auth and scope check: every procedure of the app is built on this. The owner (a paired
 * device, or the owner's CLI with its Bearer token) may call anything. A share session may call only procedures whose meta opens them (`share`), only
 * about ids inside its scope, never a mutation when it is view-only; list outputs are narrowed
 * to the scope, and every change it makes is written to History.
 */
const isAuthed = t.middleware(async ({ ctx, meta, type, path, getRawInput, next }) => {
  const principal = ctx.principal;
  if (!principal) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.refusal ?? "Pair this device first." });
  if (hasOwnerPowers(principal)) return next({ ctx: { ...ctx, principal: principal as Principal } });

  const rawInput = await getRawInput().catch(() => undefined);
  const verdict = await checkShareCall(ctx.services, principal, { meta, type, rawInput });
  if (!verdict.ok) throw new TRPCError({ code: "FORBIDDEN", message: verdict.message });

  const result = await next({ ctx: { ...ctx, principal: principal as Principal } });
  if (!result.ok) return result;
  if (type === "mutation") {
    await ctx.services.share.recordAction(principal, {
      path,
      agentId: verdict.agentId,
      tabId: verdict.tabId,
      runId: verdict.runId,
      groupChatId: verdict.chatId,
    });
  }
  // Fail closed: an output that is not the declared shape is never handed over unfiltered.
  const misshapen = () =>
    new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `${path} does not return what its shareScopedOutput declares.` });
  if (meta?.shareScopedOutput === "agents") {
    if (!Array.isArray(result.data)) throw misshapen();
    return { ...result, data: (result.data as { id: string }[]).filter((a) => agentInScope(principal, a.id)) };
  }
  if (meta?.shareScopedOutput === "rows") {
    if (!Array.isArray(result.data)) throw misshapen();
    return { ...result, data: (result.data as { agentId?: string | null }[]).filter((r) => agentInScope(principal, r?.agentId)) };
  }
  if (meta?.shareScopedOutput === "chats") {
    if (!Array.isArray(result.data)) throw misshapen();
    return { ...result, data: (result.data as { id?: string }[]).filter((c) => chatInScope(principal, c?.id)) };
  }
  if (meta?.shareScopedOutput === "events") {
    if (!isAsyncIterable(result.data)) throw misshapen();
    // An event passes with the scope's agent (and, for a run link, its run), or with an explicit
    // `agentId: null` (about no agent).
    return { ...result, data: onlyInScope(result.data as AsyncIterable<{ agentId?: string | null }>, (e) => eventInScope(principal, e)) };
  }
  return result;
});

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return !!v && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

async function* onlyInScope<T extends { agentId?: string | null }>(events: AsyncIterable<T>, keep: (event: T) => boolean) {
  for await (const e of events) if (e && typeof e === "object" && keep(e)) yield e;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * Every procedure is built on this. Owner-only unless it declares share access with
 * `.meta({ share: "read" | "control" | "run" | "self" })`.
 */
export const protectedProcedure = t.procedure.use(isAuthed).use(mapErrors);
