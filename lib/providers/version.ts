/** Pulls a version number out of whatever a CLI prints for --version ("2.1.330 (Claude Code)", "codex-cli 0.169.0"). */
export function parseVersion(output: string): string | null {
  const m = output.match(/\b(\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?)\b/);
  return m ? m[1]! : null;
}
