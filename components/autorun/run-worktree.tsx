"use client";

import Link from "next/link";
import { useEffect } from "react";
import { webUrl } from "@/lib/autorun/worktree";
import { IconGitBranch } from "../ui/icons";
import { buttonClass } from "../ui/button";
import type { RunDetail } from "./run-progress";

/**
 * A run in a worktree: its branch (and worktree agent, for the owner), then at the end its pull
 * request or the host's compare page, and why none was opened when that went wrong.
 */
export function RunWorktree({ run, owner }: { run: RunDetail["run"]; owner: boolean }) {
  if (!run.worktreeBranch) return null;
  const url = webUrl(run.prUrl);
  return (
    <section aria-label="Branch and pull request" className="space-y-3 rounded-2xl border border-border bg-surface p-4">
      <div className="flex min-w-0 items-center gap-2 text-[15px]">
        <IconGitBranch className="size-5 shrink-0 text-muted" />
        <span className="text-muted">Branch</span>
        {owner && run.worktreeAgentId ? (
          <Link
            href={`/agents/${encodeURIComponent(run.worktreeAgentId)}`}
            className="min-w-0 truncate font-mono text-[14px] text-accent underline underline-offset-2"
            title={`Open the worktree agent on ${run.worktreeBranch}`}
          >
            {run.worktreeBranch}
          </Link>
        ) : (
          <span className="min-w-0 truncate font-mono text-[14px]">{run.worktreeBranch}</span>
        )}
      </div>
      {url && (
        <a href={url} target="_blank" rel="noopener noreferrer" className={buttonClass("primary", "md", "w-full")}>
          {run.prVia === "gh" ? "Open pull request" : "Open a pull request"}
        </a>
      )}
      {url && run.prVia !== "gh" && <p className="text-sm text-muted">The branch is pushed; the pull request is opened on that page.</p>}
      {run.prWarning && (
        <p role="status" className="rounded-lg bg-wait/12 px-3 py-2 text-sm">
          <span className="font-medium text-wait">No pull request opened by Maestro.</span> {run.prWarning}
        </p>
      )}
    </section>
  );
}

/**
 * The run-done notification of a run with a pull request opens `?open=pr`: the run page, which goes
 * on to the pull request (a notification itself only ever opens our own pages). The address is the
 * run's own, read from the bridge, never from the URL.
 */
export function useOpenPullRequest(run: RunDetail["run"] | undefined) {
  const url = webUrl(run?.prUrl);
  useEffect(() => {
    if (!url || !run) return;
    const here = new URL(window.location.href);
    if (here.searchParams.get("open") !== "pr") return;
    here.searchParams.delete("open");
    // Back from the pull request comes to the run page, not to the redirect again.
    window.history.replaceState(window.history.state, "", here.pathname + here.search + here.hash);
    window.location.assign(url);
  }, [url, run]);
}
