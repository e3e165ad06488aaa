// @ts-check
import { CliError, EXIT } from "./exit-codes.mjs";

/**
 * Static completion scripts generated from the commander tree (as desktop maestro-cli does): no
 * call back into node on Tab. Each script finds the command path typed so far (skipping options
 * and the values of options that take one) and offers that command's subcommands and options,
 * plus the global options.
 */

/** @typedef {import("commander").Command} Command */
/** @typedef {{ path: string, words: string[] }} Node */

/** @param {Command} cmd */
const optionWords = (cmd) => cmd.options.flatMap((o) => [o.long, o.short].filter((w) => typeof w === "string"));
/** The fixed values of a command's arguments (`completions <shell>`: bash zsh fish). @param {Command} cmd */
const argumentWords = (cmd) => cmd.registeredArguments.flatMap((a) => a.argChoices ?? []);

/**
 * @param {Command} program
 * @returns {{ nodes: Node[], globals: string[], valued: string[] }}
 */
function walk(program) {
  // --version answers only at the top; the other program options work after any command.
  const globals = [...optionWords(program).filter((w) => w !== "--version" && w !== "-V"), "--help"];
  /** @type {Node[]} */
  const nodes = [];
  /** @type {string[]} */
  const valued = [];
  /** @param {Command} cmd @param {string} path */
  const visit = (cmd, path) => {
    for (const o of cmd.options) if (o.required || o.optional) valued.push(...[o.long, o.short].filter((w) => typeof w === "string"));
    const subs = [...cmd.commands.map((c) => c.name()), ...argumentWords(cmd)];
    nodes.push({ path, words: [...subs, ...(path ? [...optionWords(cmd), ...globals] : [...optionWords(program), "--help"])] });
    for (const c of cmd.commands) visit(c, path ? `${path} ${c.name()}` : c.name());
  };
  visit(program, "");
  // commander 14 answers `maestro help [command]` without keeping `help` in .commands.
  const top = program.commands.map((c) => c.name());
  const root = nodes.find((n) => n.path === "");
  if (root) root.words.splice(top.length, 0, "help");
  nodes.push({ path: "help", words: top });
  // Deepest first: a case arm for "list" must not catch "list agents".
  nodes.sort((a, b) => b.path.split(" ").length - a.path.split(" ").length || b.path.length - a.path.length);
  return { nodes, globals, valued: [...new Set(valued)] };
}

/**
 * Bash splits COMP_WORDS on COMP_WORDBREAKS, which holds `:` and `=`: `--url http://h:4280` would
 * arrive as five words and `--data-dir=/x` as three. So the words are rebuilt from the line up to
 * the cursor (COMP_LINE/COMP_POINT), split on blanks only.
 * @param {Command} program
 */
function bash(program) {
  const { nodes, valued } = walk(program);
  const arms = nodes
    .map((n) => (n.path ? `    "${n.path}"|"${n.path} "*) words="${n.words.join(" ")}" ;;` : `    *) words="${n.words.join(" ")}" ;;`))
    .join("\n");
  return `# maestro bash completion. Install: source <(maestro completions bash)
_maestro() {
  local line="\${COMP_LINE:0:COMP_POINT}" cur="" cmdpath="" words="" w skip=0
  local -a argv
  read -ra argv <<<"$line"
  if [[ -n "$line" && "$line" != *[[:space:]] && \${#argv[@]} -gt 0 ]]; then
    cur="\${argv[\${#argv[@]}-1]}"
    unset 'argv[\${#argv[@]}-1]'
  fi
  for w in "\${argv[@]:1}"; do
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --*=*) ;;
      ${valued.join("|")}) skip=1 ;;
      -*) ;;
      *) cmdpath="\${cmdpath:+$cmdpath }$w" ;;
    esac
  done
  case "$cmdpath" in
${arms}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _maestro maestro
`;
}

/** @param {Command} program */
function zsh(program) {
  const { nodes, valued } = walk(program);
  const arms = nodes
    .map((n) => (n.path ? `    "${n.path}"|"${n.path} "*) opts=(${n.words.join(" ")}) ;;` : `    *) opts=(${n.words.join(" ")}) ;;`))
    .join("\n");
  return `#compdef maestro
# maestro zsh completion. Install: maestro completions zsh > ~/.zfunc/_maestro (fpath+=(~/.zfunc) before compinit)
_maestro() {
  local cmdpath="" w i skip=0
  local -a opts
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      ${valued.join("|")}) skip=1 ;;
      -*) ;;
      *) cmdpath="\${cmdpath:+$cmdpath }$w" ;;
    esac
  done
  case "$cmdpath" in
${arms}
  esac
  compadd -- "\${opts[@]}"
}
_maestro "$@"
`;
}

/** @param {Command} program */
function fish(program) {
  const { nodes, valued } = walk(program);
  const lines = nodes
    .slice()
    .reverse()
    .map((n) => `complete -c maestro -n '__maestro_at ${JSON.stringify(n.path)}' -a '${n.words.join(" ")}'`);
  return `# maestro fish completion. Install: maestro completions fish > ~/.config/fish/completions/maestro.fish
function __maestro_path
  set -l cmdpath
  set -l skip 0
  for w in (commandline -opc)[2..-1]
    if test $skip = 1
      set skip 0
      continue
    end
    switch $w
      case ${valued.join(" ")}
        set skip 1
      case '-*'
      case '*'
        set cmdpath $cmdpath $w
    end
  end
  string join ' ' -- $cmdpath
end
function __maestro_at
  set -l typed (__maestro_path)
  test "$typed" = "$argv[1]"
end
complete -c maestro -f
${lines.join("\n")}
`;
}

/**
 * @param {Command} program
 * @param {string} shell
 */
export function completionScript(program, shell) {
  switch (shell) {
    case "bash":
      return bash(program);
    case "zsh":
      return zsh(program);
    case "fish":
      return fish(program);
    default:
      throw new CliError(`unknown shell ${JSON.stringify(shell)}: use bash, zsh or fish.`, EXIT.USAGE, "USAGE");
  }
}
