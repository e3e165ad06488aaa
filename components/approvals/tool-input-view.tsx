import type { RenderedRequest } from "@/lib/approvals/render";
import { cn } from "../ui/cn";

// inline-size containment: a long line scrolls inside the box instead of widening the page (a
// grid or flex column around the card would otherwise grow to the longest line).
const PRE = "max-h-64 overflow-auto rounded-lg bg-bg px-3 py-2 font-mono text-[12.5px] leading-5 whitespace-pre [contain:inline-size]";

/** A path inside the agent's folder, shown relative to it. */
export function shortPath(p: string, folder?: string): string {
  if (!folder) return p;
  const root = folder.replace(/[\\/]+$/, "");
  return p.startsWith(`${root}/`) || p.startsWith(`${root}\\`) ? p.slice(root.length + 1) : p;
}

/** The input of a request, readably: the command, the file and its content or diff, the URL, or JSON. */
export function ToolInputView({
  view,
  blockedPath,
  folder,
}: {
  view: Exclude<RenderedRequest, { kind: "question" }>;
  blockedPath?: string;
  folder?: string;
}) {
  return (
    <div className="min-w-0 space-y-2">
      {view.kind === "command" && (
        <>
          {/* Shown as it is, never cut; pre-wrap lets a run of spaces hang at a line's end, so
              what follows it (`touch a` + spaces + `; rm -rf ~`) starts the next line. */}
          <pre
            tabIndex={0}
            aria-label="Command"
            className={cn(PRE, "text-[13.5px] font-semibold [overflow-wrap:anywhere] whitespace-pre-wrap", view.long && "max-h-[60vh]")}
          >
            {view.command}
          </pre>
          {view.hiddenChars > 0 ? (
            <p className="text-sm font-medium text-bad">
              Shortened: the last {view.hiddenChars} characters of this command are not shown here. Deny unless you know what it does.
            </p>
          ) : (
            view.long && (
              <p className="text-sm font-medium text-wait">
                A long command ({view.command.split("\n").length} lines, {view.command.length} characters): scroll the box to read all of it
                before you allow it.
              </p>
            )
          )}
          {view.description && <p className="text-sm text-muted">{view.description}</p>}
        </>
      )}
      {(view.kind === "write" || view.kind === "edit") && (
        <p className="font-mono text-[13px] font-semibold [overflow-wrap:anywhere]" title={view.path}>
          {shortPath(view.path, folder)}
        </p>
      )}
      {view.kind === "write" &&
        (view.preview ? (
          <pre tabIndex={0} aria-label="New content" className={PRE}>
            {view.preview}
          </pre>
        ) : (
          <p className="text-sm text-muted">An empty file.</p>
        ))}
      {view.kind === "edit" && (
        <pre tabIndex={0} aria-label="Change" className={cn(PRE, "px-0")}>
          {view.diff.map((l, i) => (
            <span key={i} className={cn("block px-3", l.op === "-" && "bg-bad/10 text-bad", l.op === "+" && "bg-ok/10 text-ok")}>
              <span aria-hidden="true" className="inline-block w-4 select-none">
                {l.op}
              </span>
              <span className="sr-only">{l.op === "-" ? "removed: " : l.op === "+" ? "added: " : ""}</span>
              {l.text}
            </span>
          ))}
        </pre>
      )}
      {view.kind === "edit" && view.replaceAll && <p className="text-sm text-muted">Every occurrence in the file.</p>}
      {view.kind === "url" && (
        <>
          <p className="font-mono text-[13px] font-semibold [overflow-wrap:anywhere]">{view.url}</p>
          {view.prompt && <p className="text-sm text-muted">{view.prompt}</p>}
        </>
      )}
      {view.kind === "json" && (
        <pre tabIndex={0} className={PRE}>
          {view.json}
        </pre>
      )}
      {"clipped" in view && view.clipped && <p className="text-xs text-muted">Shortened to fit; the full input is on the request.</p>}
      {blockedPath && view.kind === "command" && (
        <p className="text-sm text-muted">
          Touches <span className="font-mono [overflow-wrap:anywhere]">{shortPath(blockedPath, folder)}</span>
        </p>
      )}
    </div>
  );
}
