"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import type { Agent } from "../ui/trpc-types";
import { readError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { FieldError, Input } from "../ui/field";
import { useRefreshAgents } from "./use-agent-actions";

/** Inline rename: the title becomes a field; Enter saves, Escape cancels. */
export function AgentRenameForm({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAgents();
  const [name, setName] = useState(agent.name);
  const [error, setError] = useState<string | null>(null);
  const rename = useMutation(
    trpc.agents.rename.mutationOptions({
      onSuccess: () => {
        void refresh();
        onDone();
      },
      onError: (err) => {
        const e = readError(err);
        setError(e.fieldErrors.name ?? e.message);
      },
    }),
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The bridge's own rule, loaded when a rename is saved: this form sits in the agent header,
    // and zod (~80 kB) kept on the agent page's first load cost ~10 ms per open in bench:switch.
    const { nameSchema } = await import("@/lib/schemas/agents");
    const parsed = nameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Give it a name.");
    if (parsed.data === agent.name) return onDone();
    rename.mutate({ id: agent.id, name: parsed.data });
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onDone();
        }
      }}
      className="w-full"
    >
      <div className="flex flex-wrap items-center gap-2">
        <Input
          autoFocus
          aria-label="Agent name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          onFocus={(e) => e.currentTarget.select()}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "rename-error" : undefined}
          className="min-w-0 flex-1 basis-56 text-lg font-semibold"
        />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={rename.isPending}>
            Save name
          </Button>
          <Button onClick={onDone}>Cancel</Button>
        </div>
      </div>
      <FieldError id="rename-error">{error}</FieldError>
    </form>
  );
}
