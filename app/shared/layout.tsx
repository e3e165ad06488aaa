import type { ReactNode } from "react";
import { SharedShell } from "@/components/share/shared-shell";
import { TRPCReactProvider } from "@/lib/trpc/client";

/** What a teammate with a share link sees: no owner navigation, a banner saying what they hold. */
export default function SharedLayout({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <SharedShell>{children}</SharedShell>
    </TRPCReactProvider>
  );
}
