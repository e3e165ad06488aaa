"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { ruleSchema } from "@/lib/schemas/approvals";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { Button } from "../ui/button";
import { FieldError, FormError, Hint, Input, Label } from "../ui/field";
import { formatDateTime } from "../ui/relative-time";
import { readError } from "../ui/trpc-error";

/**
 * The agent's "always allow" rules: listed with who added them, removable, and one added by hand
 * (checked with the bridge's own rule schema). Each change is saved at once, not with the
 * settings form around it, so it has no <form> of its own (Enter adds).
 */
export function PermissionRules({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const rules = useQuery(trpc.approvals.rules.queryOptions({ agentId }));
  const refresh = () => queryClient.invalidateQueries(trpc.approvals.rules.queryFilter({ agentId }));
  const add = useMutation(
    trpc.approvals.addRule.mutationOptions({
      onSuccess: () => {
        setDraft("");
        void refresh();
      },
      onError: (err) => {
        const e = readError(err);
        setError(e.fieldErrors.rule ?? e.message);
      },
    }),
  );
  const remove = useMutation(trpc.approvals.removeRule.mutationOptions({ onSettled: () => void refresh() }));

  const submit = () => {
    const parsed = ruleSchema.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "That is not a rule.");
      return;
    }
    setError(null);
    add.mutate({ agentId, rule: parsed.data });
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    // Enter adds the rule; it must not submit the settings form around it.
    e.preventDefault();
    submit();
  };

  const list = rules.data ?? [];
  return (
    <div className="space-y-3">
      <div>
        <h4 className="text-sm font-medium">Always allowed</h4>
        <Hint className="mt-0.5">Calls these rules match go ahead without asking, in every tab of this agent.</Hint>
      </div>
      {rules.error && <FormError>{readError(rules.error).message}</FormError>}
      {remove.error && <FormError>{readError(remove.error).message}</FormError>}
      {rules.isPending && (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner className="size-4" /> Loading rules…
        </p>
      )}
      {rules.isSuccess && list.length === 0 && (
        <p className="rounded-xl border border-dashed border-border px-3 py-3 text-sm text-muted">
          No rules yet. <strong className="text-text">Always allow…</strong> on a request adds one, or add one here.
        </p>
      )}
      {list.length > 0 && (
        <ul aria-label="Always allowed" className="divide-y divide-border rounded-xl border border-border">
          {list.map((r) => (
            <li key={r.id} aria-label={r.rule} className="flex items-center gap-3 py-1 pr-1 pl-3">
              <div className="min-w-0 flex-1">
                <code className="block font-mono text-[13px] break-all">{r.rule}</code>
                <span className="block text-xs text-muted">
                  {r.createdByLabel ? `${r.createdByLabel} · ` : ""}
                  <time dateTime={new Date(r.createdAt).toISOString()}>{formatDateTime(r.createdAt)}</time>
                </span>
              </div>
              <Button
                size="sm"
                variant="danger-ghost"
                aria-label={`Remove ${r.rule}`}
                disabled={remove.isPending}
                onClick={() => remove.mutate({ ruleId: r.id })}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div>
        <Label htmlFor={`${ids}-rule`}>Add a rule</Label>
        <div className="flex gap-2">
          <Input
            id={`${ids}-rule`}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              if (error) setError(null);
            }}
            onKeyDown={onKey}
            placeholder="Bash(npm test:*)"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            className="min-w-0 flex-1 font-mono"
            aria-invalid={error ? true : undefined}
            aria-describedby={`${ids}-rule-hint ${ids}-rule-error`}
          />
          <Button onClick={submit} disabled={add.isPending} aria-busy={add.isPending || undefined}>
            Add
          </Button>
        </div>
        <Hint id={`${ids}-rule-hint`}>
          A tool (<code>Write</code>), or a tool and what it may do: <code>Bash(npm test:*)</code> for commands starting so,{" "}
          <code>Bash(git status)</code> for exactly that one, <code>WebFetch(domain:example.com)</code>.
        </Hint>
        <FieldError id={`${ids}-rule-error`}>{error}</FieldError>
      </div>
    </div>
  );
}
