// The checklist the simulator answers a plan request with. Pure and deterministic: the same
// subject and count give the same tasks. Most tasks are "Create a file named X containing Y",
// which the simulator itself carries out when the checklist is run with Auto Run, so a plan it
// wrote really produces files when it is worked through.

export const DEFAULT_TASKS = 4;
export const MAX_TASKS = 12;

const STOP = new Set(
  "a an the to for of on in at by and or with my our your this that these some new please add adding build building make making create creating write writing implement implementing set up do doing how".split(
    " ",
  ),
);

/**
 * A short folder name from the subject: its first three meaningful words, kebab-case.
 * @param {string} subject
 */
export function slugOf(subject) {
  const folded = subject
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const words = folded.match(/[a-z0-9]+/g) ?? [];
  const kept = words.filter((w) => !STOP.has(w));
  const slug = (kept.length ? kept : words).slice(0, 3).join("-").slice(0, 40).replace(/-+$/, "");
  return slug || "plan";
}

/**
 * The subject as it may appear inside a task line: one line, no box or HTML-comment characters
 * (they would change what the checklist parser reads), at most 100 characters.
 * @param {string} subject
 */
export function cleanSubject(subject) {
  const one = subject
    .replace(/[<>[\]]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return one.length > 100 ? one.slice(0, 99).trimEnd() + "…" : one;
}

/**
 * The middle tasks, in the order they are added as the count grows.
 * @type {((s: string, g: string) => string)[]}
 */
const MIDDLE = [
  (s, g) => `Create a file named ${g}/design.md containing Design notes for: ${s}`,
  (s) => `Do the main work for: ${s}`,
  (s, g) => `Create a file named ${g}/checks.md containing How to check: ${s}`,
  (s) => `List the open questions about: ${s}`,
  (s, g) => `Create a file named ${g}/draft.txt containing First draft of: ${s}`,
];

/**
 * @typedef {object} MadeChecklist
 * @property {string} subject   as it appears in the tasks
 * @property {string} slug      the folder the tasks write into
 * @property {string[]} tasks
 * @property {string} intro     the reply's first line
 * @property {string} list      the `- [ ] task` lines
 * @property {string} document  a whole markdown document: a title, then the list
 */

/**
 * @param {string} rawSubject
 * @param {number} [count]
 * @returns {MadeChecklist}
 */
export function makeChecklist(rawSubject, count = DEFAULT_TASKS) {
  const n = Math.min(MAX_TASKS, Math.max(1, Math.floor(count) || DEFAULT_TASKS));
  const subject = cleanSubject(rawSubject) || "the work";
  const g = slugOf(subject);
  const tasks = [`Create a file named ${g}/goal.md containing Goal: ${subject}`];
  for (let k = 0; k < n - 2; k++) {
    const make = MIDDLE[k];
    tasks.push(make ? make(subject, g) : `Create a file named ${g}/step-${k + 2}.txt containing Step ${k + 2} of: ${subject}`);
  }
  if (n > 1) tasks.push(`Create a file named ${g}/review.md containing Review of: ${subject}`);
  const list = tasks.map((t) => `- [ ] ${t}`).join("\n");
  return {
    subject,
    slug: g,
    tasks,
    intro: `A ${n}-task plan for “${subject}”; run it with Auto Run and I will do one task per step:`,
    list,
    document: `# Plan: ${subject}\n\n${list}\n`,
  };
}
