import fs from "node:fs/promises";
import { formatBytes } from "../../../lib/autorun/documents";
import { AppError } from "../../errors";
import { resolveInside } from "../files/confine";

/** Big enough for any spec or report a gate points at; a person reads it on a phone. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024;

/**
 * A file a review gate names (desktop's `artifact="…"`), for the person to read before they let
 * the run go on. Relative to the project (desktop's authoring guide writes `.maestro/outputs/…`),
 * else to the Auto Run folder; confined to the project either way, links included. Text only.
 */
export async function readArtifact(project: string, autorunFolder: string, relative: string) {
  const name = relative.trim().replace(/^\.\//, "");
  if (!name) throw new AppError("BAD_INPUT", "The gate names no file.");
  let file = await resolveInside(project, name);
  let stat = await fs.stat(file).catch(() => null);
  if (!stat) {
    // The Auto Run folder is itself confined to the project (confinedAutorunFolder).
    const inFolder = await resolveInside(autorunFolder, name);
    const there = await fs.stat(inFolder).catch(() => null);
    if (there) [file, stat] = [inFolder, there];
  }
  if (!stat) throw new AppError("NOT_FOUND", `“${name}” does not exist (yet) in the project or its Auto Run folder.`);
  if (!stat.isFile()) throw new AppError("BAD_INPUT", `“${name}” is not a file.`);
  if (stat.size > MAX_ARTIFACT_BYTES)
    throw new AppError(
      "BAD_INPUT",
      `“${name}” is ${formatBytes(stat.size)}; only files up to ${formatBytes(MAX_ARTIFACT_BYTES)} open here.`,
    );
  const bytes = await fs.readFile(file);
  if (bytes.subarray(0, 8000).includes(0)) throw new AppError("BAD_INPUT", `“${name}” is not a text file.`);
  return { path: name, content: bytes.toString("utf8"), size: bytes.length, markdown: /\.(md|markdown)$/i.test(name) };
}
