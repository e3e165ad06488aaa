import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <p className="font-mono text-sm text-muted">404</p>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">Nothing here</h1>
      <p className="mt-2 max-w-sm text-[15px] text-muted">That page does not exist in Maestro.</p>
      <Link href="/" className={buttonClass("primary", "md", "mt-6 px-6")}>
        Go to Agents
      </Link>
    </main>
  );
}
