"use client";

import { memo, type ReactNode } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CopyButton } from "../ui/copy-button";
import { cn } from "../ui/cn";

/**
 * Assistant text as markdown. Loaded on demand (React.lazy), so react-markdown is in no page's
 * first-load JS. Safe by construction: raw HTML in the text is shown as text (never parsed;
 * no rehype-raw), URLs go through react-markdown's own sanitizer, and images become links so a
 * reply cannot make the browser fetch a remote URL on its own.
 */

function textOf(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (typeof node === "object" && "props" in node) return textOf((node.props as { children?: ReactNode }).children);
  return "";
}

function CodeFence({ children, lang }: { children: ReactNode; lang: string | null }) {
  const code = textOf(children).replace(/\n$/, "");
  return (
    <div className="group/code my-3 overflow-hidden rounded-xl border border-border bg-bg">
      <div className="flex items-center justify-between gap-2 border-b border-border/70 pr-1 pl-3.5">
        <span className="font-mono text-xs text-muted">{lang ?? "code"}</span>
        <CopyButton text={code} label="Copy code" className="lg:min-h-8" />
      </div>
      <pre
        className="overflow-x-auto px-3.5 py-3 font-mono text-[13px] leading-5 text-text"
        tabIndex={0}
        aria-label={lang ? `${lang} code` : "Code"}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}

const components: Components = {
  p: ({ children }) => <p className="my-2.5 first:mt-0 last:mb-0">{children}</p>,
  h1: ({ children }) => <h3 className="mt-5 mb-2 text-lg font-semibold tracking-tight first:mt-0">{children}</h3>,
  h2: ({ children }) => <h3 className="mt-5 mb-2 text-[17px] font-semibold tracking-tight first:mt-0">{children}</h3>,
  h3: ({ children }) => <h4 className="mt-4 mb-1.5 font-semibold first:mt-0">{children}</h4>,
  h4: ({ children }) => <h5 className="mt-4 mb-1.5 font-semibold first:mt-0">{children}</h5>,
  h5: ({ children }) => <h6 className="mt-3 mb-1 font-semibold first:mt-0">{children}</h6>,
  h6: ({ children }) => <h6 className="mt-3 mb-1 font-semibold text-muted first:mt-0">{children}</h6>,
  ul: ({ children, className }) => (
    <ul className={cn("my-2.5 space-y-1 pl-5", className?.includes("contains-task-list") ? "list-none pl-1" : "list-disc")}>{children}</ul>
  ),
  ol: ({ children, start }) => (
    <ol start={start} className="my-2.5 list-decimal space-y-1 pl-5">
      {children}
    </ol>
  ),
  li: ({ children, className }) => (
    <li className={cn("pl-0.5 marker:text-muted", className?.includes("task-list-item") && "flex items-start gap-2")}>{children}</li>
  ),
  input: ({ checked, type }) =>
    type === "checkbox" ? (
      <input
        type="checkbox"
        checked={!!checked}
        disabled
        readOnly
        aria-label={checked ? "Done" : "Not done"}
        className="mt-1 size-4 shrink-0 accent-accent"
      />
    ) : null,
  blockquote: ({ children }) => <blockquote className="my-3 border-l-[3px] border-border pl-3.5 text-muted">{children}</blockquote>,
  hr: () => <hr className="my-4 border-border" />,
  a: ({ children, href }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="font-medium text-accent underline decoration-accent/40 underline-offset-2 hover:decoration-accent"
      >
        {children}
      </a>
    ) : (
      <>{children}</>
    ),
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline underline-offset-2">
        {alt ? `Image: ${alt}` : "Image"}
      </a>
    ) : null,
  table: ({ children }) => (
    <div className="my-3 overflow-x-auto rounded-xl border border-border">
      <table className="w-full border-collapse text-left text-sm">{children}</table>
    </div>
  ),
  thead: ({ children }) => <thead className="bg-surface-2/70">{children}</thead>,
  th: ({ children, style }) => (
    <th style={style} className="border-b border-border px-3 py-2 font-semibold whitespace-nowrap">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border-t border-border/70 px-3 py-2 align-top">
      {children}
    </td>
  ),
  pre: ({ children }) => {
    // The fence's language is on the inner <code>'s class ("language-ts").
    const child: ReactNode = Array.isArray(children) ? (children as ReactNode[])[0] : children;
    const cls = child && typeof child === "object" && "props" in child ? (child.props as { className?: string }).className : undefined;
    const lang = cls?.match(/language-([\w+#.-]+)/)?.[1] ?? null;
    return <CodeFence lang={lang}>{children}</CodeFence>;
  },
  code: ({ children, className }) =>
    className?.startsWith("language-") ? (
      <code className={className}>{children}</code>
    ) : (
      <code className="rounded-md bg-surface-2 px-1.5 py-0.5 font-mono text-[0.875em] [overflow-wrap:anywhere]">{children}</code>
    ),
};

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Raw HTML in a reply is shown as the literal text it is, never parsed into elements. */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

const remarkPlugins = [remarkGfm, remarkHtmlAsText];

function urlTransform(url: string): string {
  // react-markdown's default already drops javascript:, data: and the like.
  return defaultUrlTransform(url);
}

function MarkdownImpl({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components} urlTransform={urlTransform}>
      {text}
    </ReactMarkdown>
  );
}

const Markdown = memo(MarkdownImpl);
export default Markdown;
