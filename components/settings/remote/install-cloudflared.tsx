"use client";

import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { CLOUDFLARED_RELEASES } from "@/lib/tunnel/install";
import { Button } from "../../ui/button";
import { CodeBlock } from "../../ui/copy-button";
import { IconRefresh } from "../../ui/icons";
import { BinaryPathForm } from "./binary-path-form";
import type { RemoteView } from "./use-tunnel-view";

/** What to run to install cloudflared on each system, then Re-check or point at a binary. */
export function InstallCloudflared({ steps }: { steps: RemoteView["install"] }) {
  return (
    <div className="mt-4 space-y-4">
      {steps.map((step) => (
        <div key={step.os}>
          <h3 className="mb-1.5 text-sm font-semibold">{step.label}</h3>
          <div className="space-y-1.5">
            {step.commands.map((c) => (
              <CodeBlock key={c} code={c} copyLabel={`Copy: ${c}`} />
            ))}
          </div>
        </div>
      ))}
      <p className="text-sm text-muted">
        Other systems: download a build from{" "}
        <a href={CLOUDFLARED_RELEASES} target="_blank" rel="noreferrer" className="text-accent underline">
          cloudflared&apos;s releases
        </a>
        . Then press Re-check.
      </p>
      <RecheckAndPath />
    </div>
  );
}

function RecheckAndPath() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const checking = useIsFetching(trpc.tunnel.status.queryFilter()) > 0;
  return (
    <div className="flex flex-wrap items-start gap-2">
      <Button
        size="sm"
        onClick={() => void queryClient.invalidateQueries(trpc.tunnel.status.queryFilter())}
        disabled={checking}
        aria-busy={checking || undefined}
      >
        <IconRefresh className="size-4" />
        Re-check
      </Button>
      <BinaryPathForm />
    </div>
  );
}
