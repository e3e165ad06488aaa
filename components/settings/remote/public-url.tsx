"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../../ui/button";
import { CodeBlock, CopyButton } from "../../ui/copy-button";
import { FormError, Hint } from "../../ui/field";
import { readError } from "../../ui/trpc-error";

/** The running tunnel's public URL with its QR code, and a one-use pairing link made on request. */
export function PublicUrl({ url, qr }: { url: string; qr: string }) {
  const trpc = useTRPC();
  const pair = useMutation(trpc.tunnel.pairingLink.mutationOptions());
  return (
    <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
      <img
        src={qr}
        alt={`QR code for ${url}`}
        width={176}
        height={176}
        className="size-44 shrink-0 self-center rounded-xl bg-white p-1 sm:self-start"
      />
      <div className="min-w-0 flex-1 space-y-3">
        <div>
          <p className="text-sm font-medium">Public URL</p>
          <div className="mt-1 flex items-center gap-1">
            <a
              href={url}
              target="_blank"
              rel="noreferrer"
              data-testid="tunnel-url"
              className="min-w-0 font-mono text-[15px] break-all text-accent underline-offset-2 hover:underline"
            >
              {url}
            </a>
            <CopyButton text={url} label="Copy public URL" />
          </div>
          <Hint className="mt-1">Open it on your phone, then pair that browser (cookies are per address).</Hint>
        </div>
        {pair.data ? (
          <div className="rounded-xl border border-border bg-bg p-3">
            <p className="text-sm font-medium">Pairing link (one use, expires in an hour)</p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL QR code; next/image has nothing to optimize */}
            <img
              src={pair.data.qr}
              alt="QR code of the pairing link"
              width={176}
              height={176}
              className="mt-2 size-44 rounded-lg bg-white p-1"
            />
            <CodeBlock code={pair.data.url} copyLabel="Copy pairing link" className="mt-2" />
          </div>
        ) : (
          <Button size="sm" onClick={() => pair.mutate()} disabled={pair.isPending}>
            Pair a phone through the tunnel
          </Button>
        )}
        {pair.error && <FormError>{readError(pair.error).message}</FormError>}
      </div>
    </div>
  );
}
