"use client";

import Link from "next/link";
import { IconArrowLeft } from "@/components/ui/icons";
import { pageX } from "@/components/ui/page-header";
import { WorktreeCleanup } from "@/components/settings/worktree-cleanup";
import { usePageTitle } from "@/components/ui/use-page-title";

export default function WorktreesCleanupPage() {
  usePageTitle("Worktrees cleanup");
  return (
    <div className={`${pageX} max-w-3xl pt-[max(0.75rem,env(safe-area-inset-top))] pb-6 lg:pt-6`}>
      <Link
        href="/settings"
        className="mb-2 -ml-2 inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2 text-sm font-medium text-muted hover:text-text lg:min-h-8"
      >
        <IconArrowLeft className="size-4" />
        Settings
      </Link>
      <WorktreeCleanup />
    </div>
  );
}
