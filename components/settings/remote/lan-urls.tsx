"use client";

import { CopyButton } from "../../ui/copy-button";
import type { RemoteView } from "./use-tunnel-view";

/** The plain-http LAN addresses with their QR codes, opened when the tunnel cannot help. */
export function LanUrls({ lan, emphasize }: { lan: RemoteView["lan"]; emphasize: boolean }) {
  return (
    <details open={emphasize || undefined} className="group rounded-2xl border border-border bg-surface">
      <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 px-4 py-3 text-[15px] font-semibold sm:px-5">
        On the same network (LAN)
        <span className="ml-auto text-xs font-normal text-muted">
          {lan.listening ? `${lan.urls.length} address${lan.urls.length === 1 ? "" : "es"}` : "not listening"}
        </span>
      </summary>
      <div className="border-t border-border px-4 pt-3 pb-4 sm:px-5">
        <p className="text-sm text-muted">
          Plain http: the app works as a page, but installing it, notifications and offline use need https (the tunnel) or localhost.
        </p>
        {lan.hint && <p className="mt-2 rounded-xl border border-wait/40 bg-wait/8 px-3 py-2 text-sm">{lan.hint}</p>}
        {lan.listening && (
          <ul className="mt-3 flex flex-wrap gap-4">
            {lan.urls.map((u, i) => (
              <li key={u} className="flex flex-col items-center gap-2">
                {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
                <img src={lan.qr[i]} alt={`QR code for ${u}`} width={144} height={144} className="size-36 rounded-lg bg-white p-1" />
                <span className="flex items-center gap-1">
                  <span className="font-mono text-[13px]">{u}</span>
                  <CopyButton text={u} label={`Copy ${u}`} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
