// @ts-check
import { EXIT } from "../exit-codes.mjs";
import { findAgent, withClient } from "./data.mjs";

/** @typedef {import("../program/define.mjs").Ctx} Ctx */
/**
 * @typedef {{ path: string, oldPath: string | null, status: string, added: number, removed: number, binary: boolean }} ChangedFile
 * @typedef {{ kind: "context" | "add" | "del" | "meta" | "hunk", text: string }} DiffLine
 * @typedef {{ lines: DiffLine[], more: number, binary: boolean, file: ChangedFile }} FileDiff
 */

/**
 * `maestro create-worktree AGENT BRANCH [--base B] [--name N]`: a new agent working in its own
 * git worktree of AGENT's repository, on a new branch.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {string} branch
 * @param {{ base?: string, name?: string }} o
 */
export async function createWorktree(ctx, ref, branch, o) {
  await withClient(ctx, true, async (client) => {
    const parent = await findAgent(client, ref);
    const { agent } = await client.mutate("worktrees.create", { parentId: parent.id, branch, base: o.base ?? null, name: o.name ?? null });
    if (ctx.out.json) {
      return ctx.out.data({
        success: true,
        agentId: agent.id,
        name: agent.name,
        folder: agent.folder,
        branch: agent.worktreeBranch,
        base: agent.worktreeBaseBranch,
        parentId: parent.id,
      });
    }
    ctx.out.line(`Created ${agent.name} (${agent.id}) on branch ${agent.worktreeBranch} in ${agent.folder}.`);
  });
}

/**
 * A file's diff as unified text again (the bridge sends it parsed, line by line).
 * @param {FileDiff} d
 */
export function unifiedText(d) {
  const body = d.lines.map((l) =>
    l.kind === "add" ? `+${l.text}` : l.kind === "del" ? `-${l.text}` : l.kind === "context" ? ` ${l.text}` : l.text,
  );
  if (d.more > 0) body.push(`# … ${d.more} more lines not shown`);
  return body.join("\n");
}

/**
 * A `git diff --stat`-like summary.
 * @param {ChangedFile[]} files
 */
export function statText(files) {
  const width = Math.max(0, ...files.map((f) => f.path.length));
  const lines = files.map((f) => {
    const count = f.binary ? "Bin" : String(f.added + f.removed);
    const bar = f.binary ? "" : `${"+".repeat(Math.min(f.added, 40))}${"-".repeat(Math.min(f.removed, 40))}`;
    return ` ${f.path.padEnd(width)} | ${count.padStart(4)} ${bar}`.trimEnd();
  });
  const added = files.reduce((n, f) => n + f.added, 0);
  const removed = files.reduce((n, f) => n + f.removed, 0);
  lines.push(
    ` ${files.length} file${files.length === 1 ? "" : "s"} changed, ${added} insertion${added === 1 ? "" : "s"}(+), ${removed} deletion${removed === 1 ? "" : "s"}(-)`,
  );
  return lines.join("\n");
}

/**
 * `maestro diff AGENT [--staged] [--stat]`: the agent's uncommitted changes (unstaged and
 * untracked files, or with --staged the index), as a unified diff or a stat.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ staged?: boolean, stat?: boolean }} o
 */
export async function diff(ctx, ref, o) {
  const staged = Boolean(o.staged);
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref);
    /** @type {{ root: string, files: ChangedFile[], untrackedMore: number }} */
    const listing = await client.query("diffs.files", { agentId: agent.id, staged });
    if (o.stat) {
      if (ctx.out.json) return ctx.out.data({ root: listing.root, staged, files: listing.files });
      return ctx.out.result(listing.files.length ? statText(listing.files) : "No changes.");
    }
    /** @type {FileDiff[]} */
    const diffs = [];
    for (const f of listing.files) diffs.push(await client.query("diffs.file", { agentId: agent.id, path: f.path, staged, full: true }));
    if (ctx.out.json) return ctx.out.data({ root: listing.root, staged, files: diffs.map((d) => ({ ...d.file, diff: unifiedText(d) })) });
    if (diffs.length === 0) return ctx.out.line("No changes.");
    const { green, red, cyan, bold } = ctx.out.colors;
    for (const d of diffs) {
      for (const line of unifiedText(d).split("\n")) {
        const c = line.charAt(0);
        ctx.out.result(
          line.startsWith("@@")
            ? cyan(line)
            : line.startsWith("diff ")
              ? bold(line)
              : c === "+" && !line.startsWith("+++")
                ? green(line)
                : c === "-" && !line.startsWith("---")
                  ? red(line)
                  : line,
        );
      }
    }
  });
}

/**
 * `maestro pr AGENT [--title T] [--body B] [--base B] [--draft]`: pushes the agent's branch and
 * opens a pull request with gh when it is installed and logged in, else prints the host's page
 * to open one.
 * @param {Ctx} ctx
 * @param {string} ref
 * @param {{ title?: string, body?: string, base?: string, draft?: boolean }} o
 */
export async function pr(ctx, ref, o) {
  await withClient(ctx, true, async (client) => {
    const agent = await findAgent(client, ref);
    /** @type {{ url: string | null, via: string, reason?: string, branch: string, base: string, remote: string, title: string }} */
    const r = await client.mutate("finish.createPr", {
      agentId: agent.id,
      base: o.base ?? null,
      title: o.title ?? null,
      body: o.body ?? null,
      ...(o.draft ? { draft: true } : {}),
    });
    // Pushed with no page to open a pull request on: the pull request the command is for is not there.
    if (r.url === null) process.exitCode = EXIT.FAILED;
    if (ctx.out.json) return ctx.out.data({ success: r.url !== null, ...r });
    if (r.via === "gh") ctx.out.result(r.url ?? "");
    else if (r.url) ctx.out.result(`Open the pull request here: ${r.url}${r.reason ? ` (${r.reason})` : ""}`);
    else ctx.out.result(`Pushed ${r.branch} to ${r.remote}; no pull request page is known${r.reason ? ` (${r.reason})` : ""}.`);
  });
}
