import fs from "node:fs/promises";
import { folderSchema } from "../../../lib/schemas/agents";
import { AppError } from "../../errors";

/**
 * Validates a project folder and returns its canonical form: absolute, no `..`, every symlink
 * resolved, an existing directory. Each failure says what is wrong with that path.
 */
export async function resolveProjectFolder(input: string): Promise<string> {
  const parsed = folderSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("BAD_INPUT", parsed.error.issues[0]?.message ?? "Invalid folder.", { field: "folder" });
  }
  const folder = parsed.data;
  let real: string;
  try {
    real = await fs.realpath(folder);
  } catch {
    throw new AppError("BAD_INPUT", `No folder at ${folder}.`, {
      field: "folder",
      hint: "Create it first, or pick an existing project folder.",
    });
  }
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) {
    throw new AppError("BAD_INPUT", `${folder} is a file, not a folder.`, { field: "folder" });
  }
  return real;
}
