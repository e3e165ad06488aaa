// @ts-check
/**
 * The CLI's exit codes (issue 13). They differ from desktop maestro-cli at 4 and 5, where desktop
 * means "unsupported" and "timeout": scripts here branch on "not found" and "auth" instead.
 */
export const EXIT = Object.freeze({
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  NOT_FOUND: 4,
  AUTH: 5,
});

/** The exit-code table as printed at the end of `maestro --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  failed (also: a run that ended paused, a data dir held by another headless maestro)
  2  usage (bad arguments or options, an ambiguous agent name)
  3  bridge unreachable (--url does not answer, or a bridge-only command finds no bridge:
     tunnel, share, list terminals; the other commands run headless then)
  4  not found (no such agent, group, tab, playbook, run or share link)
  5  auth (no CLI token, or the bridge refused it)
  130/143  stopped by Ctrl-C / SIGTERM`;

/** An error the CLI reports as one line and exits with `exitCode`. */
export class CliError extends Error {
  /**
   * @param {string} message one line, without the `maestro:` prefix
   * @param {number} exitCode one of EXIT
   * @param {string} [code] a stable word for scripts (`--json` prints it), e.g. "NOT_FOUND"
   */
  constructor(message, exitCode, code) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.code = code ?? codeFor(exitCode);
  }
}

/** @param {number} exitCode */
function codeFor(exitCode) {
  switch (exitCode) {
    case EXIT.USAGE:
      return "USAGE";
    case EXIT.UNREACHABLE:
      return "UNREACHABLE";
    case EXIT.NOT_FOUND:
      return "NOT_FOUND";
    case EXIT.AUTH:
      return "AUTH";
    default:
      return "FAILED";
  }
}
