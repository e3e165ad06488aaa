"use client";

import { agentPermissionMode, PERMISSION_MODE_ORDER, PERMISSION_MODE_TEXT, providerApprovalNote } from "@/lib/approvals/modes";
import type { PermissionMode } from "@/lib/schemas/approvals";
import { DEFAULT_APPROVAL_TIMEOUT_MIN } from "@/lib/schemas/approvals";
import { Field, Hint, Input, Select } from "../ui/field";
import { PermissionRules } from "./permission-rules";

/**
 * The agent settings' "Permissions" part: the mode (an older agent's "plan mode" switch shows
 * as Plan), what the agent's CLI can do about asking, and how long a request waits (fields of the
 * settings form, saved with it); then its "always allow" rules, each change saved at once.
 */
export function PermissionModeFields({
  agentId,
  provider,
  dialect,
  mode,
  readOnly,
  timeoutMin,
  onMode,
  onTimeout,
  errors,
}: {
  agentId: string;
  provider: string;
  dialect?: string | null;
  /** "": never chosen (the agent runs as its older settings say). */
  mode: PermissionMode | "";
  readOnly: boolean;
  timeoutMin: string;
  onMode: (mode: PermissionMode) => void;
  onTimeout: (minutes: string) => void;
  errors: { permissionMode?: string; approvalTimeoutMin?: string };
}) {
  const shown = mode || agentPermissionMode({ readOnly });
  const note = providerApprovalNote(provider, dialect);
  return (
    <section aria-labelledby="permissions-heading" className="space-y-4 rounded-2xl border border-border p-4">
      <h3 id="permissions-heading" className="text-[15px] font-semibold">
        Permissions
      </h3>
      <Field label="Mode" hint={PERMISSION_MODE_TEXT[shown].hint} error={errors.permissionMode}>
        {(control) => (
          <Select {...control} value={shown} onChange={(e) => onMode(e.target.value as PermissionMode)}>
            {PERMISSION_MODE_ORDER.map((m) => (
              <option key={m} value={m}>
                {PERMISSION_MODE_TEXT[m].label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Hint className={note.asks ? "mt-0" : "mt-0 rounded-xl bg-surface-2 px-3 py-2 text-text"}>
        <span data-testid="provider-approval-note">{note.text}</span>
      </Hint>
      {note.asks && (
        <Field
          label="Deny unanswered requests after (minutes)"
          optional
          hint={`The agent is told nobody answered and carries on. 1 to 1440; default ${DEFAULT_APPROVAL_TIMEOUT_MIN}.`}
          error={errors.approvalTimeoutMin}
        >
          {(control) => (
            <Input
              {...control}
              value={timeoutMin}
              onChange={(e) => onTimeout(e.target.value)}
              inputMode="numeric"
              placeholder={String(DEFAULT_APPROVAL_TIMEOUT_MIN)}
              className="max-w-48"
            />
          )}
        </Field>
      )}
      {note.asks && <PermissionRules agentId={agentId} />}
    </section>
  );
}
