/** The editor's "Insert checkbox" button. Pure. */

/** Where "insert checkbox" puts `- [ ] `: on an empty line, there; else on a new line below, same indent. */
export function insertCheckbox(text: string, caret: number): { text: string; caret: number } {
  const lineStart = text.lastIndexOf("\n", caret - 1) + 1;
  let lineEnd = text.indexOf("\n", caret);
  if (lineEnd === -1) lineEnd = text.length;
  const raw = text.slice(lineStart, lineEnd);
  const line = raw.replace(/\r$/, "");
  const eol = raw.endsWith("\r") ? "\r\n" : "\n";
  if (!line.trim()) {
    const insert = `${line}- [ ] `;
    return { text: text.slice(0, lineStart) + insert + text.slice(lineStart + line.length), caret: lineStart + insert.length };
  }
  const indent = /^[ \t>]*/.exec(line)![0];
  const insert = `${eol}${indent}- [ ] `;
  const at = lineStart + line.length;
  return { text: text.slice(0, at) + insert + text.slice(at), caret: at + insert.length };
}
