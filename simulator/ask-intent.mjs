// The claude dialect's two extra phrasings, for the control protocol: "ask me which colour the
// button should be: red, blue or green" (an AskUserQuestion) and "run `touch build.txt`" (a Bash
// call). Pure: text in, a plain object out.

/**
 * @typedef {{label: string, description: string}} QuestionOption
 * @typedef {{question: string, header: string, options: QuestionOption[], multiSelect: boolean}} Question
 */

const ASK_RE = /\bask\s+me\b\s*:?\s*(?:(?:a|one)\s+question\s*[:,-]?\s*)?/gi;
const MULTI_RE = /\b(?:pick|choose|select)\s+(?:several|any|all\s+that\s+apply|one\s+or\s+more|multiple)\b|\bmulti-?select\b/i;
const OPTIONS_RE = /^\s*(?:\(([^)\n]+)\)|(?:[:—–-]|,?\s*(?:options|choices)\s*:?)\s*([^\n.?!]+))/i;

/** "red, blue or green" → ["Red", "Blue", "Green"] (2–4 of them, as the real tool requires). @param {string} s */
function optionList(s) {
  const words = s
    .replace(/\b(?:pick|choose|select)\s+(?:several|any|all\s+that\s+apply|one\s+or\s+more|multiple)\b/gi, "")
    .split(/\s*,\s*|\s+or\s+|\s+and\s+|\s*\/\s*/)
    .map((w) => w.trim().replace(/^(?:either|or|and)\s+/i, ""))
    .filter(Boolean);
  const uniq = [...new Set(words.map((w) => w[0].toUpperCase() + w.slice(1)))];
  return uniq.length >= 2 ? uniq.slice(0, 4) : null;
}

/** A short header for the question chip: the word after which/what, or "Question". @param {string} q */
function headerOf(q) {
  const m = /^(?:which|what)\s+([A-Za-z]+)/i.exec(q);
  const w = m ? m[1] : "Question";
  return (w[0].toUpperCase() + w.slice(1)).slice(0, 12);
}

/**
 * Every "ask me …" in the text (at most 4), each with its options ("Yes"/"No" when none given).
 * @param {string} text
 * @returns {Question[]}
 */
export function readQuestions(text) {
  /** @type {Question[]} */
  const out = [];
  for (const m of text.matchAll(ASK_RE)) {
    if (out.length >= 4) break;
    const from = m.index + m[0].length;
    const rest = text.slice(from);
    const end = /[?]|[.!](?=\s|$)|[:—–(]|\r?\n|,\s*(?:options|choices)\b/i.exec(rest);
    let q = (end ? rest.slice(0, end.index) : rest).trim();
    if (!q) continue;
    q = q[0].toUpperCase() + q.slice(1) + "?";
    const after = end ? rest.slice(end.index + (end[0] === "?" ? 1 : 0)) : "";
    const om = OPTIONS_RE.exec(after);
    const labels = (om && optionList(om[1] ?? om[2] ?? "")) || ["Yes", "No"];
    const multiSelect = MULTI_RE.test(om ? om[0] : "") || MULTI_RE.test(rest.split(/\r?\n/)[0]);
    out.push({
      question: q,
      header: headerOf(q),
      options: labels.map((label) => ({ label, description: `Go with ${label}.` })),
      multiSelect,
    });
  }
  return out;
}

const RUN_RE = /\brun\s+(?:the\s+)?(?:(?:shell\s+)?command\s*:?\s*)?`([^`\n]+)`/gi;

/**
 * The commands the text asks to run: "run `touch build.txt`", "run the command `rm -rf build`".
 * @param {string} text
 * @returns {string[]}
 */
export function readCommands(text) {
  /** @type {string[]} */
  const out = [];
  for (const m of text.matchAll(RUN_RE)) {
    const c = m[1].trim();
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}
