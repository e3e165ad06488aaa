import { z } from "zod";
import { providerSchema } from "./agents";

export const detectInput = z.object({ fresh: z.boolean().optional() }).optional();
export const setProviderPathInput = z.object({ id: providerSchema, path: z.string().trim().max(4096).nullable() });
