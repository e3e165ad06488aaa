import { z } from "zod";
import { idSchema } from "./common";

const sessionRef = { agentId: idSchema, sessionId: z.string().min(1).max(200) };

export const listSessionsInput = z.object({ agentId: idSchema, query: z.string().max(200).optional() });
export const sessionRefInput = z.object(sessionRef);
export const renameSessionInput = z.object({ ...sessionRef, name: z.string().trim().max(120).nullable() });
export const starSessionInput = z.object({ ...sessionRef, starred: z.boolean() });
