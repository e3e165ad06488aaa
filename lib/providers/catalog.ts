/** The providers Maestro knows, with what a user needs to install each. Pure data. */
export const PROVIDER_IDS = ["simulator", "claude", "codex", "opencode", "gemini"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  /** The command looked up on PATH (null for the bundled simulator). */
  command: string | null;
  install: string;
  docs: string;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  simulator: {
    id: "simulator",
    label: "Simulator",
    command: null,
    install: "Built in: try everything without any AI CLI installed.",
    docs: "",
  },
  claude: {
    id: "claude",
    label: "Claude Code",
    command: "claude",
    install: "npm i -g @anthropic-ai/claude-code, then run `claude` once to log in",
    docs: "https://docs.anthropic.com/en/docs/claude-code",
  },
  codex: {
    id: "codex",
    label: "Codex",
    command: "codex",
    install: "npm i -g @openai/codex, then `codex login`",
    docs: "https://github.com/openai/codex",
  },
  opencode: {
    id: "opencode",
    label: "OpenCode",
    command: "opencode",
    install: "npm i -g opencode-ai, then `opencode auth login`",
    docs: "https://opencode.ai/docs",
  },
  gemini: {
    id: "gemini",
    label: "Gemini CLI",
    command: "gemini",
    install: "npm i -g @google/gemini-cli, then run `gemini` once to sign in",
    docs: "https://github.com/google-gemini/gemini-cli",
  },
};
