// The simulator as a mission worker: Maestro's worker prompt (lib/missions/prompt.ts) is
// recognised by its marker; the worker writes `<feature key>.txt` in its worktree (plus any file
// the feature's description asks for, "write a file named X containing Y"), and replies with a
// one-paragraph summary and the `VERIFY n: PASS` lines the prompt asks for, as a real worker's
// last message would be. `[sim: …]` directives in the
// feature's description script the turn: `crash` (the process dies mid-turn), `slow N` (N ms
// between events), `handoff-cli` (the worker leaves its own handoff with `maestro handoff create`,
// run for real through $MAESTRO_CLI, before it replies). Pure: the prompt in, the feature and the
// directives out (main.mjs runs the command).
// The marker repeats lib/missions/prompt.ts's WORKER_PROMPT_MARKER (a .mjs cannot import TS);
// mission.test.ts checks that they are equal.

export const WORKER_PROMPT_MARKER = "<!-- maestro:mission-worker -->";

/** @param {string} prompt */
export const isWorkerPrompt = (prompt) => prompt.includes(WORKER_PROMPT_MARKER);

/**
 * The feature a worker prompt is about: its key (`**Feature ID:** key`) and title (`# Worker
 * Assignment: title`).
 * @param {string} prompt
 * @returns {{key: string, title: string}}
 */
export function workerFeature(prompt) {
  const key = /^\*\*Feature ID:\*\*\s*(\S+)\s*$/m.exec(prompt)?.[1] ?? "feature";
  const title = /^# Worker Assignment:\s*(.+?)\s*$/m.exec(prompt)?.[1] ?? key;
  return { key, title };
}

/**
 * The feature's own description (inside its data tag): the only part whose phrasings are asked
 * of the worker (the rest is context and the protocol).
 * @param {string} prompt
 */
export function featureDescription(prompt) {
  return /<feature-description>\n([\s\S]*?)\n<\/feature-description>/.exec(prompt)?.[1] ?? "";
}

/** How many verification steps the reply contract asks a line for. @param {string} prompt */
export const verifyLines = (prompt) => (prompt.match(/^VERIFY \d+: PASS - /gm) ?? []).length;

/** The file a worker writes for its feature (a key's `/` would make folders: kept flat). @param {string} key */
export const featureFile = (key) => `${key.replace(/[^\w.-]+/g, "-")}.txt`;

/**
 * `[sim: crash]`, `[sim: slow 300]`, `[sim: handoff-cli]` in the prompt (the feature's description).
 * @param {string} prompt
 * @returns {{crash: boolean, slowMs: number | null, handoffCli: boolean}}
 */
export function workerDirectives(prompt) {
  const out = { crash: false, slowMs: /** @type {number | null} */ (null), handoffCli: false };
  for (const m of prompt.matchAll(/\[sim:\s*([a-z-]+)(?:\s+(\d+))?\s*\]/gi)) {
    const word = (m[1] ?? "").toLowerCase();
    if (word === "crash") out.crash = true;
    if (word === "slow") out.slowMs = m[2] ? Number(m[2]) : 250;
    if (word === "handoff-cli") out.handoffCli = true;
  }
  return out;
}

/**
 * The `maestro handoff create` arguments of a worker asked to leave its own handoff
 * (`[sim: handoff-cli]`), or null. No --mission or --feature: inside a worker's worktree the
 * bridge files a bare create on the feature it runs ($MAESTRO_AGENT_ID), as for a real worker.
 * @param {string} prompt
 * @returns {string[] | null}
 */
export function handoffCliArgs(prompt) {
  if (!isWorkerPrompt(prompt) || !workerDirectives(featureDescription(prompt)).handoffCli) return null;
  const f = workerFeature(prompt);
  return [
    "handoff",
    "create",
    "--summary",
    `Handed off from the shell for ${f.key}`,
    "--next-action",
    "Build on the file it wrote",
    "--touched-file",
    featureFile(f.key),
    "--confidence-work",
    "0.8",
  ];
}

/**
 * The turn's faults with a worker prompt's directives on top (other prompts: as they are).
 * @param {import("./faults.mjs").Faults} faults
 * @param {string} prompt
 * @returns {import("./faults.mjs").Faults}
 */
export function withWorkerDirectives(faults, prompt) {
  if (!isWorkerPrompt(prompt)) return faults;
  const d = workerDirectives(featureDescription(prompt));
  return {
    ...faults,
    crash: faults.crash || d.crash,
    slow: faults.slow || d.slowMs !== null,
    delayMs: d.slowMs ?? faults.delayMs,
  };
}

/**
 * The worker's reply: one paragraph saying what it did, then a line per file.
 * @param {{key: string, title: string}} feature
 * @param {{rel: string, ok: boolean, error?: string}[]} writes
 * @param {number} [steps]  the verification lines the prompt's reply contract asks for
 */
export function workerReply(feature, writes, steps = 0) {
  const ok = writes.filter((w) => w.ok).map((w) => w.rel);
  const bad = writes.filter((w) => !w.ok);
  const did = ok.length ? `wrote ${ok.join(", ")}` : "changed no file";
  const first =
    `Implemented ${feature.title} (${feature.key}): ${did} in the feature's worktree and checked the result by reading it back.` +
    (bad.length ? ` Could not write ${bad.map((w) => `${w.rel} (${w.error ?? "unknown error"})`).join(", ")}.` : "") +
    " Next: the verification steps, then the dependents can build on it.";
  const files = ok.map((f) => `- ${f}`).join("\n");
  const verify = Array.from({ length: steps }, (_v, i) => `VERIFY ${i + 1}: PASS - checked by reading the files back`).join("\n");
  return [first, files, verify].filter(Boolean).join("\n\n");
}
