// A tiny argv parser driven by a table of options, shared by the dialects.

/**
 * @typedef {object} OptSpec
 * @property {string} key            name in the result
 * @property {string[]} flags        e.g. ["-m", "--model"]
 * @property {boolean} [value]       takes a value (`--x v` or `--x=v`)
 * @property {boolean} [multi]       may repeat; values collected in an array
 */

/**
 * @typedef {object} Parsed
 * @property {Record<string, any>} opts
 * @property {string[]} positionals   words before `--`
 * @property {string[]} rest          words after `--`
 * @property {string} [unknown]       the first unknown option, if any
 * @property {string} [missingValue]  an option given without its value
 */

/**
 * Parse argv against specs. Options may appear anywhere before `--`.
 * @param {string[]} argv
 * @param {OptSpec[]} specs
 * @param {{stopAt?: (word: string, positionals: string[]) => boolean}} [how]
 *   stopAt: stop parsing at this positional word (it and the rest go to `tail`)
 * @returns {Parsed & {tail: string[]}}
 */
export function parseArgv(argv, specs, how = {}) {
  /** @type {Map<string, OptSpec>} */
  const byFlag = new Map();
  for (const s of specs) for (const f of s.flags) byFlag.set(f, s);
  /** @type {Record<string, any>} */
  const opts = {};
  /** @type {string[]} */
  const positionals = [];
  /** @type {string[]} */
  let rest = [];
  /** @type {string[]} */
  let tail = [];
  /** @type {string|undefined} */
  let unknown;
  /** @type {string|undefined} */
  let missingValue;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      rest = argv.slice(i + 1);
      break;
    }
    if (word.startsWith("-") && word !== "-") {
      const eq = word.startsWith("--") ? word.indexOf("=") : -1;
      const flag = eq > 0 ? word.slice(0, eq) : word;
      const spec = byFlag.get(flag);
      if (!spec) {
        unknown ??= word;
        continue;
      }
      /** @type {any} */
      let val = true;
      if (spec.value) {
        if (eq > 0) val = word.slice(eq + 1);
        else if (i + 1 < argv.length) val = argv[++i];
        else {
          missingValue ??= flag;
          continue;
        }
      }
      if (spec.multi) (opts[spec.key] ??= []).push(val);
      else opts[spec.key] = val;
      continue;
    }
    if (how.stopAt && how.stopAt(word, positionals)) {
      tail = argv.slice(i);
      break;
    }
    positionals.push(word);
  }
  return { opts, positionals, rest, tail, unknown, missingValue };
}
