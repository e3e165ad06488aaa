"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DIALECT_IDS } from "@/lib/providers/types";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import type { AgentSettings } from "@/lib/schemas/agent-settings";
import {
  parseAgentSettingsForm,
  toAgentSettingsForm,
  type AgentSettingsField,
  type AgentSettingsForm,
} from "@/lib/schemas/agent-settings-form";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { readError } from "../ui/trpc-error";
import type { Agent } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FormError, Input, Select } from "../ui/field";
import { SwitchField } from "../ui/switch";
import { PermissionModeFields } from "../settings/permission-mode-fields";
import { CodeField } from "./agent-settings-fields";

type FieldName = AgentSettingsField;

/** Server field paths ("settings.env.FOO", "settings.idleTimeoutSec") → our field names. */
function serverFieldErrors(fieldErrors: Record<string, string>): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const key = path.replace(/^settings\./, "").split(".")[0] as FieldName;
    out[key] ??= message;
  }
  return out;
}

/** The agent's provider settings: model, permissions, sandbox, binary, arguments, environment, idle timeout. */
export function AgentSettingsDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Agent settings"
      description={`How ${agent.name} runs ${PROVIDERS[agent.provider as ProviderId]?.label ?? agent.provider}`}
      variant="sheet"
      size="md"
    >
      <SettingsLoader agent={agent} onClose={onClose} />
    </Dialog>
  );
}

function SettingsLoader({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.agents.settings.queryOptions({ id: agent.id }, { staleTime: 0 }));
  if (settings.isPending)
    return (
      <DialogBody>
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner className="size-4" /> Loading settings…
        </p>
      </DialogBody>
    );
  if (settings.error)
    return (
      <DialogBody>
        <FormError hint={readError(settings.error).hint}>{readError(settings.error).message}</FormError>
      </DialogBody>
    );
  return <SettingsForm agent={agent} initial={settings.data} onClose={onClose} />;
}

function SettingsForm({ agent, initial, onClose }: { agent: Agent; initial: AgentSettings; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const simulator = agent.provider === "simulator";
  const [form, setForm] = useState<AgentSettingsForm>(() => toAgentSettingsForm(initial));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<{ message: string; hint?: string } | null>(null);
  const set = <K extends FieldName>(k: K, v: AgentSettingsForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  const save = useMutation(
    trpc.agents.updateSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.agents.settings.queryKey({ id: agent.id }), data);
        onClose();
      },
      onError: (err) => {
        const e = readError(err);
        const fields = serverFieldErrors(e.fieldErrors);
        if (Object.keys(fields).length > 0) setErrors(fields);
        else setFormError({ message: e.message, hint: e.hint });
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const r = parseAgentSettingsForm(form, simulator);
    if ("errors" in r) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    save.mutate({ id: agent.id, settings: r.settings });
  }

  const err = (k: FieldName) => errors[k];

  return (
    <form onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-5">
        {formError && <FormError hint={formError.hint}>{formError.message}</FormError>}
        <Field label="Model" optional error={err("model")}>
          {(control) => (
            <Input
              {...control}
              value={form.model}
              onChange={(e) => set("model", e.target.value)}
              placeholder="The provider's default"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>

        <PermissionModeFields
          agentId={agent.id}
          provider={agent.provider}
          dialect={form.simulatorDialect || null}
          mode={form.permissionMode}
          readOnly={form.readOnly}
          timeoutMin={form.approvalTimeoutMin}
          onMode={(m) => set("permissionMode", m)}
          onTimeout={(v) => set("approvalTimeoutMin", v)}
          errors={{ permissionMode: err("permissionMode") ?? err("readOnly"), approvalTimeoutMin: err("approvalTimeoutMin") }}
        />
        <SwitchField
          label="This machine is a sandbox (IS_SANDBOX=1 for Claude as root)"
          hint="Only turn this on for a throwaway container or VM: it lets Claude skip permission prompts when Maestro runs as root."
          checked={form.isSandbox}
          onChange={(v) => set("isSandbox", v)}
          error={err("isSandbox")}
        />

        {simulator && (
          <Field label="Simulator dialect" hint="Which CLI the simulator imitates." error={err("simulatorDialect")}>
            {(control) => (
              <Select {...control} value={form.simulatorDialect} onChange={(e) => set("simulatorDialect", e.target.value)}>
                <option value="">Default</option>
                {DIALECT_IDS.map((d) => (
                  <option key={d} value={d}>
                    {PROVIDERS[d as ProviderId]?.label ?? d}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}

        <CodeField
          label="Binary path"
          hint="For this agent only; wins over the provider-wide path."
          value={form.binaryPath}
          onChange={(v) => set("binaryPath", v)}
          placeholder="Found on PATH"
          error={err("binaryPath")}
        />

        <CodeField
          multiline
          label="Extra arguments"
          hint="One per line, passed to the CLI as they are."
          value={form.extraArgs}
          onChange={(v) => set("extraArgs", v)}
          error={err("extraArgs")}
          placeholder={"--verbose"}
        />
        <CodeField
          multiline
          label="Environment"
          hint="One KEY=value per line."
          value={form.env}
          onChange={(v) => set("env", v)}
          error={err("env")}
          placeholder={"HTTPS_PROXY=http://proxy:3128"}
        />

        <Field
          label="Idle timeout (seconds)"
          optional
          hint="A turn whose CLI prints nothing for this long is stopped. 10 to 86400."
          error={err("idleTimeoutSec")}
        >
          {(control) => (
            <Input
              {...control}
              value={form.idleTimeoutSec}
              onChange={(e) => set("idleTimeoutSec", e.target.value)}
              inputMode="numeric"
              placeholder="Default"
              className="max-w-48"
            />
          )}
        </Field>

        <CodeField
          label="Auto Run folder"
          hint="Where this agent’s checklists live, relative to the project; it cannot leave the project."
          value={form.autorunFolder}
          onChange={(v) => set("autorunFolder", v)}
          placeholder=".maestro/playbooks"
          error={err("autorunFolder")}
        />
        <CodeField
          label="Terminal shell"
          hint="The program command terminals run, e.g. /bin/zsh or fish."
          value={form.terminalShell}
          onChange={(v) => set("terminalShell", v)}
          placeholder="Your $SHELL"
          error={err("terminalShell")}
        />
        <CodeField
          label="Terminal start-up command"
          hint="Typed into each new command terminal once its shell starts."
          value={form.terminalStartup}
          onChange={(v) => set("terminalStartup", v)}
          placeholder="npm run dev"
          error={err("terminalStartup")}
        />
        <CodeField
          label="Worktree folder"
          hint="Where new worktree agents’ folders go (absolute); default a sibling <repo>-worktrees folder."
          value={form.worktreeBase}
          onChange={(v) => set("worktreeBase", v)}
          placeholder="Next to the repository"
          error={err("worktreeBase")}
        />
        <CodeField
          label="Worktree setup script"
          hint="A script file in the project, run with /bin/sh in each new worktree (MAESTRO_WORKTREE_PATH and friends set)."
          value={form.worktreeSetup}
          onChange={(v) => set("worktreeSetup", v)}
          placeholder="scripts/worktree-setup.sh"
          error={err("worktreeSetup")}
        />
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending} aria-busy={save.isPending || undefined}>
          {save.isPending && <Spinner className="size-4" />}
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}
