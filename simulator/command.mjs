// The few shell commands the simulator really runs for a Bash call: touch, mkdir and rm, each
// confined to the working folder and done in-process (no shell). Anything else fails like an
// unknown command would, so a test sees an error rather than a pretend success.
import fs from "node:fs";
import { resolveInside } from "./work.mjs";

/** Split a command into words ('…' and "…" quoting, no expansion). @param {string} s */
export function words(s) {
  /** @type {string[]} */
  const out = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of s.matchAll(re)) out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]));
  return out;
}

/**
 * Shell syntax the simulator does not run: `;`, `||`, pipes, redirections, background jobs and
 * substitutions. A command using any of them fails as a whole (read word by word, `touch a > b`
 * would create files named ">" and "b"). `a && b` runs, stopping at the first failure as a
 * shell does.
 */
const SHELL_SYNTAX = /[|;&<>`]|\$\(/;
const unsupported = (/** @type {string} */ cmd) => SHELL_SYNTAX.test(cmd.replaceAll("&&", " "));

/** Flags each command understands; anything else fails rather than being guessed at. */
const FLAGS = { touch: [], mkdir: ["-p"], rm: ["-r", "-R", "-f", "-rf", "-fr"] };

/** The simple commands of `a && b; c` (permission rules judge each one). @param {string} cmd */
export function parts(cmd) {
  return cmd
    .split(/\s*(?:&&|;)\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Run a command in cwd. Returns ok, the combined output and the exit code.
 * @param {string} cwd
 * @param {string} cmd
 * @returns {{ok: boolean, code: number, output: string, paths: string[]}}
 */
export function runCommand(cwd, cmd) {
  /** @type {string[]} */
  const paths = [];
  if (unsupported(cmd))
    return {
      ok: false,
      code: 127,
      output: "/bin/bash: maestro-sim runs simple commands joined by && (no ;, ||, |, &, <, >, ` or $( )",
      paths,
    };
  for (const part of parts(cmd)) {
    const [prog, ...args] = words(part);
    const flags = args.filter((a) => a.startsWith("-"));
    const targets = args.filter((a) => !a.startsWith("-"));
    if (!["touch", "mkdir", "rm"].includes(prog ?? ""))
      return {
        ok: false,
        code: 127,
        output: `/bin/bash: line 1: ${prog}: command not found (maestro-sim runs touch, mkdir and rm)`,
        paths,
      };
    const known = FLAGS[/** @type {keyof typeof FLAGS} */ (prog)];
    const bad = flags.find((f) => !known.includes(f));
    if (bad !== undefined) return { ok: false, code: 127, output: `${prog}: ${bad}: option not supported by maestro-sim`, paths };
    if (!targets.length) return { ok: false, code: 1, output: `${prog}: missing operand`, paths };
    for (const t of targets) {
      const { abs, inside } = resolveInside(cwd, t);
      if (!inside) return { ok: false, code: 1, output: `${prog}: ${t}: outside the working folder (${cwd})`, paths };
      paths.push(abs);
      try {
        if (prog === "touch") {
          const now = new Date();
          if (fs.existsSync(abs)) fs.utimesSync(abs, now, now);
          else fs.writeFileSync(abs, "");
        } else if (prog === "mkdir") fs.mkdirSync(abs, { recursive: flags.includes("-p") });
        else
          fs.rmSync(abs, {
            recursive: flags.some((f) => f !== "-f"),
            force: flags.some((f) => f.includes("f")),
          });
      } catch (e) {
        return { ok: false, code: 1, output: `${prog}: ${t}: ${e instanceof Error ? e.message : String(e)}`, paths };
      }
    }
  }
  return { ok: true, code: 0, output: "", paths };
}
