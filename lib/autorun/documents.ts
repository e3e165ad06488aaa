/**
 * Rules for Auto Run document names, shared by the bridge (which enforces them) and the UI (which
 * says them early). Pure.
 */

/** Where an agent's documents live unless its settings say otherwise (relative to the project). */
export const DEFAULT_AUTORUN_FOLDER = ".maestro/playbooks";
/** The runner's working copies; listed apart from the documents a user edits. */
export const RUNS_FOLDER = "runs";
/** Larger documents are refused on read and on save: a checklist this big is a mistake. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_PATH = 400;
const MAX_SEGMENT = 120;

// Control characters, and the characters other file systems refuse, so a folder stays portable.
export const BAD_CHARS = /[\u0000-\u001f\u007f<>:"|?*\\]/;

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * Checks a document path relative to the Auto Run folder ("plan", "plan.md", "sprint/day-1.md")
 * and returns it normalised with a `.md` ending. Refuses absolute paths, `..`, empty or
 * dot segments, NUL and other control characters, and over-long names.
 */
export function checkDocumentPath(input: string): PathCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, message: "Give the document a name." };
  if (raw.includes("\0")) return { ok: false, message: "The name contains a NUL byte." };
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw))
    return { ok: false, message: "Use a name inside the Auto Run folder, not an absolute path." };
  const bad = BAD_CHARS.exec(raw);
  if (bad) {
    const shown =
      bad[0] < " " || bad[0] === "\u007f"
        ? `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`
        : `“${bad[0]}”`;
    return { ok: false, message: `Names cannot contain ${shown}.` };
  }
  const withExt = /\.md$/i.test(raw) ? raw : `${raw}.md`;
  const segments = withExt.split("/");
  for (const s of segments) {
    if (s === "..") return { ok: false, message: "Names cannot use “..”: documents stay inside the Auto Run folder." };
    if (s === "" || s === ".") return { ok: false, message: "Folder names in the path cannot be empty or “.”." };
    if (s !== s.trim()) return { ok: false, message: "Names cannot start or end with a space." };
    if (s.length > MAX_SEGMENT) return { ok: false, message: `Each part of the name is at most ${MAX_SEGMENT} characters.` };
  }
  if (withExt.length > MAX_DOCUMENT_PATH) return { ok: false, message: `The name is at most ${MAX_DOCUMENT_PATH} characters.` };
  if (segments[segments.length - 1] === ".md") return { ok: false, message: "Give the document a name." };
  return { ok: true, path: segments.join("/") };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** What a new document starts with, so the syntax teaches itself. */
export function starterDocument(title: string): string {
  return `# ${title}\n\n- [ ] First task\n- [ ] Second task\n  - [ ] A nested step\n`;
}

/**
 * A playbook names its documents with or without `.md` (Maestro desktop and its registry store
 * them without: `"filename": "1_ANALYZE"`, src/shared/marketplace-types.ts); the file always has it.
 */
export function markdownName(filename: string): string {
  return /\.md$/i.test(filename) ? filename : `${filename}.md`;
}

/** The name as desktop writes it in a manifest: without the `.md` ending. */
export function withoutMarkdownExt(filename: string): string {
  return filename.replace(/\.md$/i, "");
}
