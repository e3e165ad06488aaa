/**
 * "Always allow" rules in the CLIs' own syntax — `Tool` (the whole tool) or `Tool(content)` —
 * and the bridge's own check of a tool call against them (a safety net before asking a person,
 * and the only check for CLIs that take no rule flags). Pure.
 *
 * Matching follows claude's documented forms, erring towards asking:
 * - `Bash` alone: any command; `Bash(npm test)`: exactly that command;
 * - `Bash(npm test:*)` (prefix) and `Bash(npm run *)` (wildcard): the command starts so;
 * - a compound command (`a && b`, `a; b`, `a | b`) matches only if every part does, and one with
 *   substitutions or redirections (`$(…)`, backticks, `>`, `<`) never matches a content rule;
 * - other tools: `WebFetch(domain:example.com)` by host, else the input's path/URL/pattern, with `*`.
 */
import { isOneRule, RULE_PATTERN } from "../schemas/approvals";
import { isObj, str } from "../providers/lines";

export interface ParsedRule {
  tool: string;
  /** "" for the whole tool. */
  content: string;
}

/** `Tool(content)` → its parts; null when it is not a rule. */
export function parseRule(rule: string): ParsedRule | null {
  if (!isOneRule(rule.trim())) return null;
  const m = RULE_PATTERN.exec(rule.trim());
  if (!m?.[1]) return null;
  return { tool: m[1], content: m[2] ?? "" };
}

export function formatRule(tool: string, content?: string | null): string {
  return content ? `${tool}(${content})` : tool;
}

/** `*` matches anything; everything else literally. A trailing ` *` also matches the bare prefix. */
function globMatch(pattern: string, text: string): boolean {
  if (pattern.endsWith(" *") && text === pattern.slice(0, -2)) return true;
  const re = new RegExp(`^${pattern.split("*").map(escapeRe).join("[\\s\\S]*")}$`);
  return re.test(text);
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Splits a shell command on `&&`, `||`, `;`, `|` and newlines; null when it holds anything we don't read. */
export function commandParts(command: string): string[] | null {
  if (/[`<>]|\$\(|\$\{/.test(command)) return null;
  const parts = command
    .split(/&&|\|\||[;|\n&]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? parts : null;
}

function commandMatches(content: string, command: string): boolean {
  const c = command.trim();
  if (content.endsWith(":*")) {
    const prefix = content.slice(0, -2).trim();
    return c === prefix || c.startsWith(`${prefix} `);
  }
  if (content.includes("*")) return globMatch(content, c);
  return c === content.trim();
}

function hostOf(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+@)?([^/?#:]+)/i.exec(url);
  return m?.[2] ? m[2].toLowerCase() : null;
}

function otherMatches(content: string, input: Record<string, unknown>): boolean {
  if (content.startsWith("domain:")) {
    const domain = content.slice("domain:".length).trim().toLowerCase();
    const host = hostOf(str(input.url) ?? "");
    return !!host && !!domain && (host === domain || host.endsWith(`.${domain}`));
  }
  const subject = str(input.file_path) ?? str(input.path) ?? str(input.notebook_path) ?? str(input.url) ?? str(input.pattern);
  // `src/../.env` would match `src/*` by its text while naming another file: never by rule.
  if (subject === undefined || subject.split(/[\\/]/).includes("..")) return false;
  return content.includes("*") ? globMatch(content, subject) : subject === content;
}

/** Whether one rule allows this call. */
export function ruleMatches(rule: ParsedRule, toolName: string, input: unknown): boolean {
  if (rule.tool !== toolName) return false;
  if (!rule.content) return true;
  const args = isObj(input) ? input : {};
  if (toolName === "Bash") {
    const command = str(args.command);
    if (command === undefined) return false;
    if (commandMatches(rule.content, command) && commandParts(command)?.length === 1) return true;
    return false;
  }
  return otherMatches(rule.content, args);
}

/**
 * The first rule that allows this call, or null. A compound Bash command needs every part
 * allowed (by any of the rules), as claude does; the first part's rule is returned.
 */
export function matchRules(rules: readonly string[], toolName: string, input: unknown): string | null {
  const parsed = rules.map((r) => [r, parseRule(r)] as const).filter((x): x is readonly [string, ParsedRule] => x[1] !== null);
  const direct = parsed.find(([, p]) => ruleMatches(p, toolName, input));
  if (direct) return direct[0];
  const command = toolName === "Bash" && isObj(input) ? str(input.command) : undefined;
  const parts = command === undefined ? null : commandParts(command);
  if (!parts || parts.length < 2) return null;
  let first: string | null = null;
  for (const part of parts) {
    const hit = parsed.find(([, p]) => p.tool === "Bash" && (!p.content || commandMatches(p.content, part)));
    if (!hit) return null;
    first ??= hit[0];
  }
  return first;
}

/**
 * The rule to offer for "Always allow": the CLI's first suggested `addRules` rule (only its
 * rule: never where it meant to write it), else the whole tool for tools without a command.
 */
export function suggestedRule(toolName: string, suggestions: unknown): string | undefined {
  const list = Array.isArray(suggestions) ? suggestions : [];
  for (const s of list) {
    if (!isObj(s) || s.type !== "addRules" || (s.behavior !== undefined && s.behavior !== "allow")) continue;
    const first = Array.isArray(s.rules) ? s.rules.find(isObj) : undefined;
    const tool = str(first?.toolName);
    if (!first || !tool) continue;
    const rule = formatRule(tool, str(first.ruleContent));
    if (parseRule(rule)) return rule;
  }
  return toolName === "Bash" || toolName === "AskUserQuestion" ? undefined : parseRule(toolName) ? toolName : undefined;
}
