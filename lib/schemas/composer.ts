import { z } from "zod";
import { idSchema } from "./common";

const commandName = z.string().regex(/^[A-Za-z0-9][\w:-]{0,40}$/, "Letters, digits, - _ : (up to 40).");

export const mentionsInput = z.object({ agentId: idSchema, query: z.string().max(300) });
export const saveCommandInput = z.object({
  id: idSchema.optional(),
  name: commandName,
  description: z.string().max(200).default(""),
  template: z.string().min(1).max(50_000),
});

export const mentionsOutput = z.array(z.string());
export const commandsOutput = z.array(
  z.object({ name: z.string(), description: z.string(), source: z.enum(["builtin", "user", "provider"]) }),
);
