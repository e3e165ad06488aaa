import type { ProcedureMeta } from "../trpc";
import { appRouter } from "./_app";

export type ProcedureType = "query" | "mutation" | "subscription";

/** Every procedure of the app router as a flat list (tRPC keeps them in `_def.procedures`). */
export const PROCEDURES: { path: string; type: ProcedureType; meta: ProcedureMeta | undefined }[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType; meta?: ProcedureMeta } }>,
).map(([path, proc]) => ({ path, type: proc._def.type, meta: proc._def.meta }));
