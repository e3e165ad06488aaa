/** Image attachments: which files a CLI can take, checked before anything is spawned. */
import type { ProviderId } from "./catalog";
import { ProviderCapabilityError } from "./errors";

const MEDIA_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/** The media type of an image path by its extension, or null when it isn't one we send. */
export function imageMediaType(path: string): string | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  return (m && MEDIA_TYPES[m[1]!.toLowerCase()]) || null;
}

const isAbsolute = (p: string) => p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");

/** Throws ProviderCapabilityError for a path a CLI would misread. */
export function checkImagePaths(provider: ProviderId, paths: string[], o: { noCommas?: boolean } = {}): void {
  for (const p of paths) {
    if (typeof p !== "string" || !isAbsolute(p) || p.includes("\n") || (o.noCommas && p.includes(",")))
      throw new ProviderCapabilityError(
        provider,
        "image_path_invalid",
        `Can't attach image ${JSON.stringify(p)}: it must be an absolute path${o.noCommas ? " without commas" : ""}.`,
      );
    if (!imageMediaType(p))
      throw new ProviderCapabilityError(
        provider,
        "image_type_unsupported",
        `Can't attach ${p}: only PNG, JPEG, GIF and WebP images are supported.`,
      );
  }
}
