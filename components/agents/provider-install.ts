/**
 * Splits a catalog install line ("npm i -g @openai/codex, then `codex login`") into the
 * command to copy and the prose that follows. Lines that are not commands come back as prose.
 */
export function splitInstall(install: string): { command: string | null; after: string | null } {
  const looksLikeCommand = /^(npm|npx|pnpm|yarn|bun|brew|curl|pip|pipx|go|cargo)\s/.test(install);
  if (!looksLikeCommand) return { command: null, after: install };
  const cut = install.indexOf(", then ");
  if (cut < 0) return { command: install.trim(), after: null };
  const after = install.slice(cut + 2).replace(/`([^`]+)`/g, "$1");
  return { command: install.slice(0, cut).trim(), after: after.charAt(0).toUpperCase() + after.slice(1) + "." };
}
