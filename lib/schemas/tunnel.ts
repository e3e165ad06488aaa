import { z } from "zod";

export const configureTunnelInput = z.object({
  mode: z.enum(["quick", "named"]).optional(),
  hostname: z.string().max(253).nullable().optional(),
  token: z.string().max(4096).nullable().optional(),
  binaryPath: z.string().max(4096).nullable().optional(),
});
