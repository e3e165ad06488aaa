"use client";

import { IconPlus } from "../ui/icons";
import { Logo } from "../ui/logo";
import { useShell } from "../shell/shell-context";
import { Button } from "../ui/button";

/** First run: one button, one line about the simulator. */
export function DashboardEmpty() {
  const shell = useShell();
  return (
    <div className="mx-auto flex max-w-md flex-col items-center px-6 pt-[12vh] pb-10 text-center lg:pt-[14vh]">
      <div className="relative">
        <div aria-hidden="true" className="absolute -inset-6 rounded-full bg-accent/20 blur-2xl" />
        <Logo className="relative size-20 drop-shadow-xl" />
      </div>
      <h2 className="mt-8 text-xl font-semibold tracking-tight">Conduct your first agent</h2>
      <p className="mt-2 text-[15px] leading-relaxed text-muted">
        An agent is an AI coding CLI working in one of your project folders. Start it here, watch it from anywhere.
      </p>
      <Button variant="primary" className="mt-7 w-full max-w-xs text-base sm:w-auto sm:px-6" onClick={() => shell.openAddAgent()}>
        <IconPlus className="size-5" />
        Add an agent
      </Button>
      <p className="mt-5 text-sm leading-relaxed text-muted">
        Try it without any AI CLI installed: the built-in simulator is the default provider.
      </p>
    </div>
  );
}
