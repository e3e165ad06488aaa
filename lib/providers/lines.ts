/**
 * Shared plumbing for the line parsers: tolerant JSON line reading and narrow field readers,
 * so a dialect parser only describes what its events mean.
 */
import { rawEvent, type AgentEvent, type LineParser } from "./events";
import type { ParserOptions } from "./types";

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A non-negative token count (garbage → 0). */
export const count = (v: unknown): number => Math.max(0, Math.floor(num(v) ?? 0));

/** The longest tool output kept in one event; a `cat` of a huge file must not become a huge row. */
export const TOOL_OUTPUT_LIMIT = 64 * 1024;

export function clipOutput(s: string): string {
  return s.length > TOOL_OUTPUT_LIMIT ? `${s.slice(0, TOOL_OUTPUT_LIMIT)}… (${s.length - TOOL_OUTPUT_LIMIT} more characters)` : s;
}

/**
 * A LineParser from a handler of JSON objects. Blank lines yield nothing; a line that is not a
 * JSON object yields one `raw` event; a handler that throws on a strange shape yields `raw` too,
 * so `parse` never throws.
 */
export function objectLineParser(onObject: (o: Obj) => AgentEvent[], onEnd?: () => AgentEvent[]): LineParser {
  return {
    parse(line: string): AgentEvent[] {
      const text = typeof line === "string" ? line : String(line);
      try {
        const body = text.endsWith("\r") ? text.slice(0, -1) : text;
        if (body.trim() === "") return [];
        let value: unknown;
        try {
          value = JSON.parse(body);
        } catch {
          return [rawEvent(body)];
        }
        if (!isObj(value)) return [rawEvent(body)];
        return onObject(value);
      } catch {
        return [rawEvent(text)];
      }
    },
    end(): AgentEvent[] {
      try {
        return onEnd?.() ?? [];
      } catch {
        return [];
      }
    },
  };
}

/** The parser's clock as a function returning a Date. */
export function clockOf(opts: ParserOptions): () => Date {
  return () => {
    const v = opts.now ? opts.now() : Date.now();
    return v instanceof Date ? v : new Date(v);
  };
}

/** A table lookup that ignores inherited keys ("constructor", "toString"…). */
export function own<T>(table: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
