import { cn } from "./cn";
import { splitPathTail, tildify } from "./truncate-middle";

/**
 * A path that truncates in the middle to fit its box: the head gets the ellipsis, the last
 * segment always shows. Screen readers and the tooltip get the whole path.
 */
export function TruncatedPath({ path, home, className }: { path: string; home?: string | null; className?: string }) {
  const shown = tildify(path, home);
  const { head, tail } = splitPathTail(shown);
  return (
    <span title={path} className={cn("flex min-w-0 font-mono text-[13px]", className)}>
      {/* The head gives up its room long before the tail does. */}
      <span className="min-w-0 shrink-[1000] truncate">{head}</span>
      <span className="max-w-full min-w-0 shrink-0 truncate">{tail}</span>
    </span>
  );
}
