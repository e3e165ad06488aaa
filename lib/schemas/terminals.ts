import { z } from "zod";
import { dimension } from "../terminal/protocol";
import { idSchema, nameSchema } from "./common";

export const createTerminalInput = z.object({
  agentId: idSchema,
  name: nameSchema.optional(),
  cols: dimension.optional(),
  rows: dimension.optional(),
});
