import type { GitStatus } from "@/lib/git/status";
import { IconGitBranch, IconPencil } from "../ui/icons";
import { cn } from "../ui/cn";

/** What the chip says, as one sentence for screen readers and the tooltip. */
export function gitSummary(s: GitStatus): string {
  const parts = [s.branch ? `On branch ${s.branch}` : `Detached at ${s.sha ?? "no commit"}`];
  if (s.ahead) parts.push(`${s.ahead} ahead of ${s.upstream ?? "upstream"}`);
  if (s.behind) parts.push(`${s.behind} behind`);
  parts.push(s.dirty ? `${s.dirty} changed ${s.dirty === 1 ? "file" : "files"}` : "no changes");
  return parts.join(", ");
}

/**
 * An agent's git state in one line: branch (cut short, the counts always stay), ↑ahead ↓behind
 * when not zero, and how many files changed. Nothing at all when the folder is not a repository.
 */
export function GitChip({
  status,
  compact,
  className,
}: {
  status: GitStatus | null | undefined;
  /** On the phone, the changed count is a pencil and a number, so the branch keeps some room. */
  compact?: boolean;
  className?: string;
}) {
  if (!status) return null;
  const summary = gitSummary(status);
  return (
    <span title={summary} className={cn("inline-flex min-w-0 items-center gap-1.5 text-[12.5px] text-muted", className)}>
      <span className="sr-only">{summary}</span>
      <span aria-hidden="true" className="inline-flex min-w-0 items-center gap-1">
        <IconGitBranch className="size-3.5 shrink-0" />
        <span className="max-w-[14ch] truncate font-medium text-text/80 sm:max-w-[24ch]">{status.branch ?? status.sha ?? "no commit"}</span>
      </span>
      {(status.ahead > 0 || status.behind > 0) && (
        <span aria-hidden="true" className="shrink-0 tabular-nums">
          {status.ahead > 0 && `↑${status.ahead}`}
          {status.ahead > 0 && status.behind > 0 && " "}
          {status.behind > 0 && `↓${status.behind}`}
        </span>
      )}
      {status.dirty > 0 && (
        <span
          aria-hidden="true"
          className="inline-flex shrink-0 items-center gap-0.5 rounded-md bg-surface-2 px-1.5 font-medium text-text/80 tabular-nums"
        >
          {compact && <IconPencil className="size-3 sm:hidden" />}
          {status.dirty}
          <span className={cn(compact && "max-sm:hidden")}>&nbsp;changed</span>
        </span>
      )}
    </span>
  );
}
