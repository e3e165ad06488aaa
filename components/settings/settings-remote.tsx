"use client";

import { readError } from "../ui/trpc-error";
import { FormError } from "../ui/field";
import { SettingsSection } from "./settings-section";
import { InstallCloudflared } from "./remote/install-cloudflared";
import { LanUrls } from "./remote/lan-urls";
import { ModeForm } from "./remote/mode-form";
import { PublicUrl } from "./remote/public-url";
import { TunnelControls, useTunnelControls } from "./remote/tunnel-controls";
import { TunnelStateLine } from "./remote/tunnel-state-line";
import { useTunnelView } from "./remote/use-tunnel-view";

/**
 * Remote access: the Cloudflare tunnel (start/stop, quick or named, the public URL with its QR
 * code and a pairing link on it), what to install when cloudflared is missing, and the LAN URLs.
 */
export function SettingsRemote() {
  const view = useTunnelView();
  const controls = useTunnelControls();
  const { error } = controls;

  const v = view.data;
  const s = v?.status;
  const up = s && (s.state === "starting" || s.state === "running" || s.state === "restarting");

  return (
    <SettingsSection
      id="remote"
      title="Remote access"
      description="Reach Maestro from your phone anywhere through a Cloudflare tunnel: https, so the app installs, notifies and works offline. Only paired devices get in."
      actions={s && s.state !== "missing" ? <TunnelControls status={s} up={!!up} controls={controls} /> : null}
    >
      {view.error && <FormError className="mb-3">{readError(view.error).message}</FormError>}
      {error && (
        <FormError className="mb-3" hint={error.hint}>
          {error.message}
        </FormError>
      )}
      {view.isPending && <div aria-hidden="true" className="h-40 rounded-2xl border border-border bg-surface" />}
      {v && s && (
        <div className="space-y-4">
          <div className="rounded-2xl border border-border bg-surface p-4 sm:p-5">
            <TunnelStateLine status={s} />
            {s.state === "running" && s.url && v.qr && <PublicUrl url={s.url} qr={v.qr} />}
            {s.state === "missing" && <InstallCloudflared steps={v.install} />}
            {s.state !== "missing" && !up && <ModeForm view={v} />}
          </div>
          <LanUrls lan={v.lan} emphasize={s.state === "missing" || s.state === "failed"} />
        </div>
      )}
    </SettingsSection>
  );
}
