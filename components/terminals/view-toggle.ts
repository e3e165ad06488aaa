/** True for Ctrl/⌘+` : the AI ⇄ terminal switch, which the page handles, not the shell. */
export function isViewToggle(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.code === "Backquote";
}
