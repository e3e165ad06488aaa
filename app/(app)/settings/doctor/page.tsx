"use client";

import Link from "next/link";
import { IconArrowLeft } from "@/components/ui/icons";
import { pageX } from "@/components/ui/page-header";
import { SettingsDoctor } from "@/components/settings/settings-doctor";
import { usePageTitle } from "@/components/ui/use-page-title";

export default function DoctorPage() {
  usePageTitle("Doctor");
  return (
    <div className={`${pageX} max-w-3xl pt-[max(0.75rem,env(safe-area-inset-top))] lg:pt-6`}>
      <Link
        href="/settings"
        className="mb-2 -ml-2 inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2 text-sm font-medium text-muted hover:text-text lg:min-h-8"
      >
        <IconArrowLeft className="size-4" />
        Settings
      </Link>
      <SettingsDoctor asPage />
    </div>
  );
}
