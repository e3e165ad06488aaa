import { z } from "zod";
import { idSchema, nameSchema } from "./common";

export const createGroupInput = z.object({ name: nameSchema });
export const collapseGroupInput = z.object({ id: idSchema, collapsed: z.boolean() });
