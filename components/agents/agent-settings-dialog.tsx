"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { DIALECT_IDS } from "@/lib/providers/types";
import { PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import type { AgentSettings } from "@/lib/schemas/agent-settings";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { readError } from "../ui/trpc-error";
import type { Agent } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, inputClass, Label, Select } from "../ui/field";

type FieldName = "model" | "binaryPath" | "extraArgs" | "env" | "idleTimeoutSec" | "simulatorDialect" | "readOnly" | "isSandbox" | "autorunFolder" | "terminalShell" | "terminalStartup";

interface FormState {
  model: string;
  binaryPath: string;
  extraArgs: string;
  env: string;
  readOnly: boolean;
  isSandbox: boolean;
  simulatorDialect: string;
  idleTimeoutSec: string;
  autorunFolder: string;
  terminalShell: string;
  terminalStartup: string;
}

function toForm(s: AgentSettings): FormState {
  return {
    model: s.model ?? "",
    binaryPath: s.binaryPath ?? "",
    extraArgs: (s.extraArgs ?? []).join("\n"),
    env: Object.entries(s.env ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    readOnly: !!s.readOnly,
    isSandbox: !!s.isSandbox,
    simulatorDialect: s.simulatorDialect ?? "",
    idleTimeoutSec: s.idleTimeoutSec === undefined ? "" : String(s.idleTimeoutSec),
    autorunFolder: s.autorunFolder ?? "",
    terminalShell: s.terminalShell ?? "",
    terminalStartup: s.terminalStartup ?? "",
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Form → settings, or the fields that are wrong (checked here first; the server checks again). */
function fromForm(f: FormState, simulator: boolean): { settings: AgentSettings } | { errors: Partial<Record<FieldName, string>> } {
  const errors: Partial<Record<FieldName, string>> = {};
  const env: Record<string, string> = {};
  f.env.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0) errors.env ??= `Line ${i + 1}: write KEY=value.`;
    else if (!ENV_NAME.test(key)) errors.env ??= `Line ${i + 1}: “${key}” is not a valid name (letters, digits and _; not starting with a digit).`;
    else env[key] = line.slice(eq + 1);
  });
  const extraArgs = f.extraArgs
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (extraArgs.length > 50) errors.extraArgs = "At most 50 arguments.";
  let idleTimeoutSec: number | undefined;
  if (f.idleTimeoutSec.trim()) {
    const n = Number(f.idleTimeoutSec);
    if (!Number.isInteger(n) || n < 10 || n > 86_400) errors.idleTimeoutSec = "A whole number of seconds from 10 to 86400 (24 hours).";
    else idleTimeoutSec = n;
  }
  const autorunFolder = f.autorunFolder.trim().replace(/\/+$/, "");
  if (autorunFolder.startsWith("/") || autorunFolder.split("/").includes("..")) errors.autorunFolder = "A folder inside the project, like .maestro/playbooks (no leading / and no “..”).";
  if (Object.keys(errors).length > 0) return { errors };
  const settings: AgentSettings = {
    model: f.model.trim() || undefined,
    binaryPath: f.binaryPath.trim() || undefined,
    extraArgs: extraArgs.length ? extraArgs : undefined,
    env: Object.keys(env).length ? env : undefined,
    readOnly: f.readOnly || undefined,
    isSandbox: f.isSandbox || undefined,
    simulatorDialect: simulator && f.simulatorDialect ? (f.simulatorDialect as AgentSettings["simulatorDialect"]) : undefined,
    idleTimeoutSec,
    autorunFolder: autorunFolder || undefined,
    terminalShell: f.terminalShell.trim() || undefined,
    terminalStartup: f.terminalStartup.trim() || undefined,
  };
  return { settings };
}

/** Server field paths ("settings.env.FOO", "settings.idleTimeoutSec") → our field names. */
function serverFieldErrors(fieldErrors: Record<string, string>): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const key = path.replace(/^settings\./, "").split(".")[0] as FieldName;
    out[key] ??= message;
  }
  return out;
}

/** The agent's provider settings: model, plan mode, sandbox, binary, arguments, environment, idle timeout. */
export function AgentSettingsDialog({ agent, open, onClose }: { agent: Agent; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Agent settings" description={`How ${agent.name} runs ${PROVIDERS[agent.provider as ProviderId]?.label ?? agent.provider}`} variant="sheet" size="md">
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
  const [form, setForm] = useState<FormState>(() => toForm(initial));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<{ message: string; hint?: string } | null>(null);
  const ids = {
    model: useId(),
    binaryPath: useId(),
    extraArgs: useId(),
    env: useId(),
    idleTimeoutSec: useId(),
    simulatorDialect: useId(),
    autorunFolder: useId(),
    terminalShell: useId(),
    terminalStartup: useId(),
  };
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (errors[k as FieldName]) setErrors((e) => ({ ...e, [k]: undefined }));
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
    const r = fromForm(form, simulator);
    if ("errors" in r) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    save.mutate({ id: agent.id, settings: r.settings });
  }

  const err = (k: FieldName) => errors[k];
  const errId = (k: keyof typeof ids) => `${ids[k]}-error`;
  const described = (k: keyof typeof ids, hint?: boolean) => [hint && `${ids[k]}-hint`, err(k) && errId(k)].filter(Boolean).join(" ") || undefined;

  return (
    <form onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-5">
        {formError && <FormError hint={formError.hint}>{formError.message}</FormError>}
        <div>
          <Label htmlFor={ids.model} optional>
            Model
          </Label>
          <Input
            id={ids.model}
            value={form.model}
            onChange={(e) => set("model", e.target.value)}
            placeholder="The provider's default"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!err("model") || undefined}
            aria-describedby={described("model")}
          />
          <FieldError id={errId("model")}>{err("model")}</FieldError>
        </div>

        <SwitchRow
          label="Read-only / plan mode"
          hint="The agent reads and plans, but never edits files or runs commands that change things."
          checked={form.readOnly}
          onChange={(v) => set("readOnly", v)}
          error={err("readOnly")}
        />
        <SwitchRow
          label="This machine is a sandbox (IS_SANDBOX=1 for Claude as root)"
          hint="Only turn this on for a throwaway container or VM: it lets Claude skip permission prompts when Maestro runs as root."
          checked={form.isSandbox}
          onChange={(v) => set("isSandbox", v)}
          error={err("isSandbox")}
        />

        {simulator && (
          <div>
            <Label htmlFor={ids.simulatorDialect}>Simulator dialect</Label>
            <Select
              id={ids.simulatorDialect}
              value={form.simulatorDialect}
              onChange={(e) => set("simulatorDialect", e.target.value)}
              aria-invalid={!!err("simulatorDialect") || undefined}
              aria-describedby={described("simulatorDialect", true)}
            >
              <option value="">Default</option>
              {DIALECT_IDS.map((d) => (
                <option key={d} value={d}>
                  {PROVIDERS[d as ProviderId]?.label ?? d}
                </option>
              ))}
            </Select>
            <Hint id={`${ids.simulatorDialect}-hint`}>Which CLI the simulator imitates.</Hint>
            <FieldError id={errId("simulatorDialect")}>{err("simulatorDialect")}</FieldError>
          </div>
        )}

        <CodeField
          id={ids.binaryPath}
          label="Binary path"
          hint="For this agent only; wins over the provider-wide path."
          value={form.binaryPath}
          onChange={(v) => set("binaryPath", v)}
          placeholder="Found on PATH"
          error={err("binaryPath")}
        />

        <CodeField
          multiline
          id={ids.extraArgs}
          label="Extra arguments"
          hint="One per line, passed to the CLI as they are."
          value={form.extraArgs}
          onChange={(v) => set("extraArgs", v)}
          error={err("extraArgs")}
          placeholder={"--verbose"}
        />
        <CodeField
          multiline
          id={ids.env}
          label="Environment"
          hint="One KEY=value per line."
          value={form.env}
          onChange={(v) => set("env", v)}
          error={err("env")}
          placeholder={"HTTPS_PROXY=http://proxy:3128"}
        />

        <div>
          <Label htmlFor={ids.idleTimeoutSec} optional>
            Idle timeout (seconds)
          </Label>
          <Input
            id={ids.idleTimeoutSec}
            value={form.idleTimeoutSec}
            onChange={(e) => set("idleTimeoutSec", e.target.value)}
            inputMode="numeric"
            placeholder="Default"
            className="max-w-48"
            aria-invalid={!!err("idleTimeoutSec") || undefined}
            aria-describedby={described("idleTimeoutSec", true)}
          />
          <Hint id={`${ids.idleTimeoutSec}-hint`}>A turn whose CLI prints nothing for this long is stopped. 10 to 86400.</Hint>
          <FieldError id={errId("idleTimeoutSec")}>{err("idleTimeoutSec")}</FieldError>
        </div>

        <CodeField
          id={ids.autorunFolder}
          label="Auto Run folder"
          hint="Where this agent’s checklists live, relative to the project; it cannot leave the project."
          value={form.autorunFolder}
          onChange={(v) => set("autorunFolder", v)}
          placeholder=".maestro/playbooks"
          error={err("autorunFolder")}
        />
        <CodeField
          id={ids.terminalShell}
          label="Terminal shell"
          hint="The program command terminals run, e.g. /bin/zsh or fish."
          value={form.terminalShell}
          onChange={(v) => set("terminalShell", v)}
          placeholder="Your $SHELL"
          error={err("terminalShell")}
        />
        <CodeField
          id={ids.terminalStartup}
          label="Terminal start-up command"
          hint="Typed into each new command terminal once its shell starts."
          value={form.terminalStartup}
          onChange={(v) => set("terminalStartup", v)}
          placeholder="npm run dev"
          error={err("terminalStartup")}
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

/**
 * A labelled text field for paths, commands, arguments and env (monospace, no autocorrect), with
 * its hint and error: one line, or several (`multiline`).
 */
function CodeField({
  id,
  label,
  hint,
  value,
  onChange,
  error,
  placeholder,
  multiline = false,
}: {
  id: string;
  label: string;
  hint: ReactNode;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  placeholder?: string;
  multiline?: boolean;
}) {
  const control = {
    id,
    value,
    placeholder,
    autoCapitalize: "off",
    spellCheck: false,
    "aria-invalid": !!error || undefined,
    "aria-describedby": [`${id}-hint`, error && `${id}-error`].filter(Boolean).join(" "),
  } as const;
  return (
    <div>
      <Label htmlFor={id} optional>
        {label}
      </Label>
      {multiline ? (
        <textarea
          {...control}
          onChange={(e) => onChange(e.target.value)}
          rows={3}
          autoCorrect="off"
          className={cn(inputClass, "resize-y py-2.5 font-mono text-[15px] leading-6")}
        />
      ) : (
        <Input {...control} onChange={(e) => onChange(e.target.value)} autoComplete="off" className="font-mono text-[15px]" />
      )}
      <Hint id={`${id}-hint`}>{hint}</Hint>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** A labelled on/off switch (role="switch"), the whole row tappable. */
function SwitchRow({
  label,
  hint,
  checked,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div>
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor={id} className="block text-sm font-medium text-text">
            {label}
          </label>
          <p id={`${id}-hint`} className="mt-0.5 text-sm leading-relaxed text-muted">
            {hint}
          </p>
        </div>
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={checked}
          aria-describedby={[`${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ")}
          onClick={() => onChange(!checked)}
          className="inline-flex min-h-11 shrink-0 items-center"
        >
          <span
            aria-hidden="true"
            className={cn(
              "relative inline-flex h-7 w-12 items-center rounded-full border transition-colors motion-reduce:transition-none",
              checked ? "border-accent bg-accent" : "border-border bg-surface-2",
            )}
          >
            <span
              className={cn(
                "inline-block size-5 rounded-full bg-white shadow transition-transform motion-reduce:transition-none",
                checked ? "translate-x-6" : "translate-x-1",
              )}
            />
          </span>
        </button>
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
