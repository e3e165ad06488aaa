"use client";

import { PageHeader, pageX } from "@/components/ui/page-header";
import { SettingsAbout } from "@/components/settings/settings-about";
import { SettingsCommands } from "@/components/settings/settings-commands";
import { SettingsDevices } from "@/components/settings/settings-devices";
import { SettingsDoctor } from "@/components/settings/settings-doctor";
import { SettingsExchange } from "@/components/settings/settings-exchange";
import { SettingsSharing } from "@/components/settings/settings-sharing";
import { SettingsNotifications } from "@/components/settings/settings-notifications";
import { SettingsRemote } from "@/components/settings/settings-remote";
import { SettingsWorktrees } from "@/components/settings/settings-worktrees";
import { usePageTitle } from "@/components/ui/use-page-title";

export default function SettingsPage() {
  usePageTitle("Settings");
  return (
    <>
      <PageHeader title="Settings" />
      <div className={`${pageX} max-w-3xl space-y-10`}>
        <SettingsDevices />
        <SettingsSharing />
        <SettingsNotifications />
        <SettingsRemote />
        <SettingsCommands />
        <SettingsWorktrees />
        <SettingsExchange />
        <SettingsDoctor />
        <SettingsAbout />
      </div>
    </>
  );
}
