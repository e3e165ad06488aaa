// @ts-check
import picocolors from "picocolors";
import { CliError, EXIT } from "./exit-codes.mjs";

/**
 * @typedef {object} GlobalOptions
 * @property {string} [dataDir]
 * @property {string} [url]
 * @property {string} [token]
 * @property {boolean} [json]
 * @property {boolean} [quiet]
 * @property {boolean} [verbose]
 * @property {boolean} [color] false with --no-color
 */

/**
 * Where a command prints. `--json` output and a command's primary output (`result`) are never
 * gated by --quiet (desktop's rule: it suppresses incidental success output); colours
 * only on a TTY without NO_COLOR or --no-color (picocolors' own default turns them on under CI
 * even when piped).
 * @param {GlobalOptions} opts
 * @param {{ stdout?: NodeJS.WriteStream, stderr?: NodeJS.WriteStream, env?: Record<string, string | undefined> }} [io]
 */
export function createOutput(opts, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const colorOn = Boolean(stdout.isTTY) && !env.NO_COLOR && opts.color !== false && !opts.json;
  const colors = picocolors.createColors(colorOn);
  return {
    json: Boolean(opts.json),
    colors,
    /** Pretty JSON (an object or array) on stdout. @param {unknown} value */
    data(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    /**
     * A command's primary human output (a table, `show`, a status line, a completion script):
     * printed even under --quiet, which silences only incidental output.
     * @param {string} text
     */
    result(text) {
      stdout.write(`${text}\n`);
    },
    /** An incidental line (a confirmation such as "Created agent X"); silent under --quiet. @param {string} line */
    line(line) {
      if (!opts.quiet) stdout.write(`${line}\n`);
    },
    /** A line for the person, on stderr (stdout stays the result a script captures); silent under --quiet. @param {string} line */
    note(line) {
      if (!opts.quiet) stderr.write(`${line}\n`);
    },
    /** A diagnostic on stderr, only with --verbose. @param {string} line */
    verbose(line) {
      if (opts.verbose && !opts.quiet) stderr.write(`maestro: ${line}\n`);
    },
  };
}

/**
 * Reports a failure the one way scripts expect and returns its exit code: with --json an object
 * on stdout, else one line on stderr.
 * @param {unknown} err
 * @param {{ json?: boolean }} opts
 * @param {{ stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream }} [io]
 */
export function reportError(err, opts, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const cli = err instanceof CliError ? err : new CliError(err instanceof Error ? err.message : String(err), EXIT.FAILED);
  const message = cli.message.replace(/\s*\n\s*/g, " ").trim();
  if (opts.json) stdout.write(`${JSON.stringify({ success: false, error: message, code: cli.code }, null, 2)}\n`);
  else stderr.write(`maestro: ${message}\n`);
  return cli.exitCode;
}

/**
 * A plain text table: columns padded to their widest cell, no borders (greppable, cut-able).
 * @param {string[]} header
 * @param {string[][]} rows
 */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (/** @type {string[]} */ cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)].join("\n");
}
