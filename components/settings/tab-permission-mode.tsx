"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { agentPermissionMode, PERMISSION_MODE_ORDER, PERMISSION_MODE_TEXT, providerApprovalNote } from "@/lib/approvals/modes";
import type { PermissionMode } from "@/lib/schemas/approvals";
import { useTRPC } from "@/lib/trpc/client";
import { Dialog, DialogBody } from "../ui/dialog";
import { FormError, Hint } from "../ui/field";
import type { MenuItem } from "../ui/menu";
import { readError } from "../ui/trpc-error";

export interface PermissionTab {
  id: string;
  name: string;
  /** The tab's override; null: the agent's mode. */
  permissionMode: string | null;
}

const isMode = (m: string | null): m is PermissionMode => PERMISSION_MODE_ORDER.some((x) => x === m);

/**
 * The tab menu's entry for the sheet below: "Permissions…", or the override when the tab has
 * one. Mount it in the tab bar's menu items next to Rename and Star, with the sheet.
 */
export function tabPermissionMenuItem(tab: PermissionTab, open: () => void): MenuItem {
  return {
    label: isMode(tab.permissionMode) ? `Permissions: ${PERMISSION_MODE_TEXT[tab.permissionMode].label}` : "Permissions…",
    onSelect: open,
  };
}

/**
 * One tab's permission mode: the agent's (the default) or its own, for this tab's next turns.
 * A pick is saved at once and the sheet closes.
 */
export function TabPermissionModeSheet({
  tab,
  agent,
  open,
  onClose,
}: {
  tab: PermissionTab;
  agent: { id: string; provider: string };
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Permissions for this tab" description={tab.name} variant="sheet" size="sm">
      <DialogBody className="space-y-4 pb-6">
        <ModeChoices tab={tab} agent={agent} onDone={onClose} />
      </DialogBody>
    </Dialog>
  );
}

function ModeChoices({ tab, agent, onDone }: { tab: PermissionTab; agent: { id: string; provider: string }; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const name = useId();
  const settings = useQuery(trpc.agents.settings.queryOptions({ id: agent.id }));
  const save = useMutation(
    trpc.tabs.setPermissionMode.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.tabs.list.queryFilter({ agentId: agent.id }));
        onDone();
      },
    }),
  );
  const agentMode = settings.data ? agentPermissionMode(settings.data) : null;
  const note = providerApprovalNote(agent.provider, settings.data?.simulatorDialect);
  // The pick shows at once (the sheet closes when it is saved); a refused one goes back.
  const current = save.variables && !save.isError ? (save.variables.mode ?? "") : isMode(tab.permissionMode) ? tab.permissionMode : "";
  const choices: { value: PermissionMode | ""; title: string; hint: string }[] = [
    {
      value: "",
      title: agentMode ? `The agent's mode (${PERMISSION_MODE_TEXT[agentMode].label})` : "The agent's mode",
      hint: "Follows Agent settings → Permissions.",
    },
    ...PERMISSION_MODE_ORDER.map((m) => ({ value: m, title: PERMISSION_MODE_TEXT[m].label, hint: PERMISSION_MODE_TEXT[m].hint })),
  ];
  return (
    <>
      {save.error && <FormError>{readError(save.error).message}</FormError>}
      <fieldset disabled={save.isPending}>
        <legend className="sr-only">Permission mode</legend>
        <div className="grid gap-2">
          {choices.map((c) => (
            <label
              key={c.value || "agent"}
              className="flex min-h-11 cursor-pointer gap-3 rounded-xl border border-border bg-surface p-3 has-[:checked]:border-accent has-[:checked]:bg-accent/8"
            >
              <input
                type="radio"
                name={name}
                value={c.value}
                checked={current === c.value}
                onChange={() => save.mutate({ tabId: tab.id, mode: c.value || null })}
                className="mt-1 accent-[var(--color-accent)]"
              />
              <span>
                <span className="block font-medium">{c.title}</span>
                <span className="block text-sm text-muted">{c.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <Hint className={note.asks ? "mt-0" : "mt-0 rounded-xl bg-surface-2 px-3 py-2 text-text"}>{note.text}</Hint>
      <Hint className="mt-0">Applies from this tab&apos;s next turn; a turn already running keeps its mode.</Hint>
    </>
  );
}
