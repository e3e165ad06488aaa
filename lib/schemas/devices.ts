import { z } from "zod";
import { nameSchema } from "./common";

/** `maestro pair --cli [--name N]`: the Devices row's name (default "Remote CLI"). */
export const createCliTokenInput = z.object({ name: nameSchema.optional() });
