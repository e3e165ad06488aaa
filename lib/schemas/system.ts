import { z } from "zod";

export const foldersInput = z.object({ dir: z.string().max(4096).optional() });
