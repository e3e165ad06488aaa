import { z } from "zod";
import { idSchema } from "./common";

export const gitStatusInput = z.object({ agentId: idSchema });
/** Without an agent: every agent's changes (the dashboard); with one, its folder is also watched meanwhile. */
export const gitChangesInput = z.object({ agentId: idSchema.optional() }).optional();
