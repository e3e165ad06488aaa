/**
 * Template variables for Auto Run documents and prompts. `{{NAME}}` (spaces inside the braces
 * allowed) is replaced for every known variable; an unknown `{{X}}` is left as written so a typo
 * stays visible. Dates are local time on the bridge machine. Pure.
 */
import { fillTemplate as fill } from "../prompts/template";

export interface TemplateVars {
  AGENT_NAME: string;
  AGENT_PATH: string;
  DOCUMENT_NAME: string;
  DOCUMENT_PATH: string;
  LOOP_NUMBER: number;
  GIT_BRANCH: string;
  DATE: Date;
  [extra: string]: string | number | Date;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number) => String(n).padStart(2, "0");
const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The variables derived from one clock reading: DATE, TIME, DATETIME, WEEKDAY, YEAR, MONTH, DAY, TIMESTAMP. */
export function clockVars(now: Date): Record<string, string | number> {
  const date = ymd(now);
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  return {
    DATE: date,
    TIME: time,
    DATETIME: `${date} ${time}`,
    WEEKDAY: WEEKDAYS[now.getDay()]!,
    YEAR: now.getFullYear(),
    MONTH: pad(now.getMonth() + 1),
    DAY: pad(now.getDate()),
    TIMESTAMP: now.getTime(),
  };
}

/** The names a user can write in a document, for the editor's help text. */
export const TEMPLATE_VARIABLES = [
  "AGENT_NAME",
  "AGENT_PATH",
  "DOCUMENT_NAME",
  "DOCUMENT_PATH",
  "LOOP_NUMBER",
  "GIT_BRANCH",
  "DATE",
  "TIME",
  "DATETIME",
  "WEEKDAY",
  "YEAR",
  "MONTH",
  "DAY",
  "TIMESTAMP",
] as const;

/** Replaces {{NAME}} for known vars (DATE → YYYY-MM-DD, also TIME, DATETIME, WEEKDAY, YEAR…); unknown {{X}} left as is. */
export function fillTemplate(text: string, vars: TemplateVars): string {
  const flat: Record<string, string | number> = {};
  // Dates first, so an explicit extra of the same name as a clock variable (say TIME) wins.
  for (const [name, value] of Object.entries(vars)) {
    if (value instanceof Date) Object.assign(flat, name === "DATE" ? clockVars(value) : { [name]: ymd(value) });
  }
  for (const [name, value] of Object.entries(vars)) {
    if (!(value instanceof Date) && value !== undefined && value !== null) flat[name] = value;
  }
  return fill(text, flat);
}
