"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { ExchangeBrowser } from "@/components/autorun/exchange-browser";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { IconArrowLeft } from "@/components/ui/icons";
import { PageHeader, pageX } from "@/components/ui/page-header";
import { usePageTitle } from "@/components/ui/use-page-title";

/**
 * The Playbook Exchange (?agent= the agent to import to, from its Auto Run page; ?entry= the
 * playbook open). Phone: the list, then the playbook full width; desktop: both side by side.
 */
export default function ExchangePage() {
  usePageTitle("Playbook Exchange");
  return (
    <Suspense>
      <Exchange />
    </Suspense>
  );
}

function Exchange() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const agent = params.get("agent");
  const entry = params.get("entry");
  const open = (key: string | null) => {
    const q = new URLSearchParams();
    if (agent) q.set("agent", agent);
    if (key) q.set("entry", key);
    router.replace(`${pathname}${q.size ? `?${q.toString()}` : ""}`, { scroll: false });
  };
  return (
    <>
      <PageHeader
        title="Playbook Exchange"
        subtitle="Community playbooks for Auto Run, and your own from local-manifest.json."
        className={cn(entry && "max-lg:hidden")}
        actions={
          <Link href={agent ? `/autorun?agent=${agent}` : "/autorun"} className={buttonClass("ghost", "sm")}>
            <IconArrowLeft className="size-4" /> Auto Run
          </Link>
        }
      />
      <div className={cn(pageX, "pb-8", entry && "max-lg:pt-[max(0.75rem,env(safe-area-inset-top))]")}>
        <ExchangeBrowser entry={entry} agentId={agent} onOpen={open} />
      </div>
    </>
  );
}
