// A commit message for a prompt that asks for one (Maestro's "Draft with agent": the prompt
// opens with a fixed line, then a `git diff --stat --summary` and a patch). Pure: the message is
// made from the file list in the prompt, as a model would summarise it, and nothing is written.

const OPENER_RE = /^\s*draft (?:a )?(?:git )?commit message\b/i;
const STAT_RE = /^\s*(.+?)\s+\|\s+(?:(\d+)\s*[+-]*|Bin\b.*)$/;
const CREATE_RE = /^\s*create mode \d+ (.+)$/;
const DELETE_RE = /^\s*delete mode \d+ (.+)$/;

/** Whether the prompt asks for a commit message (its first line says so). @param {string} prompt */
export function asksForCommitMessage(prompt) {
  return OPENER_RE.test(prompt.split("\n", 1)[0] ?? "");
}

/** @param {string[]} names */
function listNames(names) {
  const shown = names.slice(0, 3).map((n) => n.split("/").pop() ?? n);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.length === 2 ? shown.join(" and ") : shown.join(", ");
}

/**
 * A conventional-commit message for the files the prompt's stat lists.
 * @param {string} prompt
 * @returns {string}
 */
export function commitMessageFor(prompt) {
  /** @type {{name: string, lines: number}[]} */
  const files = [];
  const created = new Set();
  const deleted = new Set();
  for (const line of prompt.split("\n")) {
    const c = CREATE_RE.exec(line);
    if (c) created.add(c[1].trim());
    const d = DELETE_RE.exec(line);
    if (d) deleted.add(d[1].trim());
    const s = STAT_RE.exec(line);
    if (s && !/files? changed/.test(line)) files.push({ name: s[1].trim(), lines: Number(s[2] ?? 0) });
  }
  const names = files.map((f) => f.name);
  if (!names.length) return "chore: update the working tree\n\nNo file list was given with the request, so this message stays general.";
  const docsOnly = names.every((n) => /\.(md|rst|adoc)$/i.test(n) || /^docs?\//.test(n));
  const testsOnly = names.every((n) => /(^|\/)(tests?|__tests__|e2e)\/|\.(test|spec)\.[a-z]+$/i.test(n));
  const added = names.filter((n) => created.has(n));
  const removed = names.filter((n) => deleted.has(n));
  const type = docsOnly
    ? "docs"
    : testsOnly
      ? "test"
      : added.length === names.length
        ? "feat"
        : removed.length === names.length
          ? "refactor"
          : "chore";
  const verb = added.length === names.length ? "add" : removed.length === names.length ? "remove" : "update";
  let subject = `${type}: ${verb} ${listNames(names)}`;
  if (subject.length > 72) subject = `${type}: ${verb} ${names.length} files`;
  const total = files.reduce((n, f) => n + f.lines, 0);
  const body = [
    `${verb === "add" ? "Adds" : verb === "remove" ? "Removes" : "Updates"} ${names.length === 1 ? "one file" : `${names.length} files`} (${total} line${total === 1 ? "" : "s"} changed):`,
    "",
    ...files.slice(0, 10).map((f) => `- ${f.name}${created.has(f.name) ? " (new)" : deleted.has(f.name) ? " (removed)" : ""}`),
    ...(files.length > 10 ? [`- … and ${files.length - 10} more`] : []),
  ];
  return `${subject}\n\n${body.join("\n")}`;
}
