import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { TRPCReactProvider } from "@/lib/trpc/client";

/**
 * Every signed-in screen shares the shell and the tRPC client; /pair and /offline sit outside
 * this group, so they load neither.
 */
export default function ShellLayout({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      <AppShell>{children}</AppShell>
    </TRPCReactProvider>
  );
}
