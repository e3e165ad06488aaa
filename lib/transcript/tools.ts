/** One-line summaries of tool calls for the compact rows of the transcript. Pure, never throws. */

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

export function clip(s: string, max = 120): string {
  const t = oneLine(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

// The keys that say most about a call, in the order we prefer them.
const KEYS = [
  "command",
  "cmd",
  "file_path",
  "filePath",
  "path",
  "notebook_path",
  "pattern",
  "query",
  "url",
  "description",
  "prompt",
  "content",
];

/** A short summary of a call's input: the command, the file, the query… */
export function summarizeToolInput(name: string, input: unknown): string {
  try {
    if (typeof input === "string") return clip(input);
    if (!isObj(input)) return "";
    const lower = name.toLowerCase();
    // codex file_change: {changes: [{path, kind}]}
    if (Array.isArray(input.changes)) {
      const changes = input.changes
        .filter(isObj)
        .map((c) => `${typeof c.kind === "string" ? c.kind : "update"} ${typeof c.path === "string" ? c.path : "?"}`);
      return clip(changes.join(", "));
    }
    // codex todo_list / claude TodoWrite: {items|todos: [...]}
    const list = Array.isArray(input.items) ? input.items : Array.isArray(input.todos) ? input.todos : null;
    if (list && (lower.includes("todo") || list.every(isObj))) {
      const items = list.filter(isObj);
      const done = items.filter((t) => t.completed === true || t.status === "completed").length;
      return `${items.length} ${items.length === 1 ? "item" : "items"}, ${done} done`;
    }
    if (typeof input.pattern === "string" && typeof input.path === "string") return clip(`${input.pattern} in ${input.path}`);
    for (const k of KEYS) {
      const v = input[k];
      if (typeof v === "string" && v.trim()) return clip(v);
      if (Array.isArray(v) && v.every((x) => typeof x === "string") && v.length) return clip(v.join(" "));
    }
    const json = JSON.stringify(input);
    return json && json !== "{}" ? clip(json) : "";
  } catch {
    return "";
  }
}

/** The input as readable text for the expanded row: strings as they are, objects as JSON. */
export function formatToolInput(input: unknown): string {
  if (input === null || input === undefined) return "";
  if (typeof input === "string") return input;
  try {
    return JSON.stringify(input, null, 2) ?? "";
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only a cycle or a BigInt gets here: String()'s "[object Object]" is the last resort on purpose
    return String(input);
  }
}
