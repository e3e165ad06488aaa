/**
 * Template variables (`{{AGENT_NAME}}`, `{{DATE}}`, …) filled in prompts, slash commands and
 * Auto Run documents. Unknown variables are left as written so a typo stays visible. Pure.
 */
export type TemplateVars = Record<string, string | number | undefined | null>;

export function fillTemplate(template: string, vars: TemplateVars): string {
  return template.replace(/\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** The date/time variables every template gets, from one clock reading. */
export function dateVars(now: Date): TemplateVars {
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  return { DATE: date, TIME: time, DATETIME: `${date} ${time}`, YEAR: now.getFullYear(), TIMESTAMP: now.getTime() };
}
