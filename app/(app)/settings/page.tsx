"use client";

import { PageHeader, pageX } from "@/components/page-header";
import { SettingsAbout } from "@/components/settings-about";
import { SettingsCommands } from "@/components/settings-commands";
import { SettingsDevices } from "@/components/settings-devices";
import { SettingsDoctor } from "@/components/settings-doctor";
import { SettingsSharing } from "@/components/settings-sharing";
import { SettingsNotifications } from "@/components/settings-notifications";
import { SettingsRemote } from "@/components/settings-remote";
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
        <SettingsDoctor />
        <SettingsAbout />
      </div>
    </>
  );
}
