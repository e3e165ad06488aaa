"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isWorkspaceRoute, NAV_ITEMS } from "./nav-items";
import { cn } from "../ui/cn";

/** Phone navigation: six thumb-sized tabs (65 px each at 390 px) above the home indicator. */
export function BottomNav() {
  const pathname = usePathname() ?? "/";
  if (isWorkspaceRoute(pathname)) return null;
  return (
    <nav
      aria-label="Main"
      className="fixed inset-x-0 bottom-0 z-30 border-t border-border bg-surface/92 pb-[env(safe-area-inset-bottom)] backdrop-blur-xl lg:hidden"
    >
      <ul className="mx-auto grid max-w-lg grid-cols-6">
        {NAV_ITEMS.map(({ href, label, short, icon: Icon, match }) => {
          const active = match(pathname);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "group flex min-h-16 flex-col items-center justify-center gap-1 px-1 text-[12px] font-medium tracking-tight outline-offset-[-4px]",
                  active ? "text-accent" : "text-muted hover:text-text",
                )}
              >
                <span
                  className={cn(
                    "flex h-8 w-12 items-center justify-center rounded-full transition-colors",
                    active ? "bg-accent/14" : "group-active:bg-surface-2",
                  )}
                >
                  <Icon className="size-[22px]" />
                </span>
                {short ?? label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
