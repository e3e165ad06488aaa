/** Slash commands typed in the composer. Pure. */
export interface SlashCommand {
  name: string;
  description: string;
  source: "builtin" | "user" | "provider";
}

/** Handled by Maestro itself: done in the app, or (`/spec <goal>`) expanded into a prompt by the bridge. */
export const BUILTIN_COMMANDS: SlashCommand[] = [
  { name: "new", description: "Start a new tab (a fresh provider session)", source: "builtin" },
  { name: "stop", description: "Stop the running turn", source: "builtin" },
  { name: "clear", description: "Start over in a new tab", source: "builtin" },
  { name: "spec", description: "Plan a goal as an Auto Run checklist", source: "builtin" },
];

/** `/name rest` at the very start of the message, or null. */
export function parseSlash(text: string): { name: string; args: string } | null {
  const m = text.match(/^\/([A-Za-z0-9][\w:-]*)(?:\s+([\s\S]*))?$/);
  return m ? { name: m[1]!, args: (m[2] ?? "").trim() } : null;
}

/** Commands whose name starts with what is typed after `/`, builtins first. */
export function matchCommands(commands: readonly SlashCommand[], typed: string, limit = 12): SlashCommand[] {
  const q = typed.toLowerCase();
  const order = { builtin: 0, user: 1, provider: 2 };
  return commands
    .filter((c) => c.name.toLowerCase().startsWith(q))
    .sort((a, b) => order[a.source] - order[b.source] || a.name.localeCompare(b.name))
    .slice(0, limit);
}
