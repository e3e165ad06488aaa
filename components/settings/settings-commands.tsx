"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Spinner } from "../conversation/icons";
import { IconPencil, IconPlus, IconTrash } from "../ui/icons";
import { SettingsSection } from "./settings-section";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, inputClass, Label } from "../ui/field";

type UserCommand = RouterOutputs["composer"]["userCommands"][number];

const PLACEHOLDERS = ["{{ARGS}}", "{{AGENT_NAME}}", "{{AGENT_PATH}}", "{{DATE}}"];

/** The user's own slash commands: prompt templates the composer offers after "/". */
export function SettingsCommands() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const commands = useQuery(trpc.composer.userCommands.queryOptions());
  const [editing, setEditing] = useState<UserCommand | "new" | null>(null);
  const [removing, setRemoving] = useState<UserCommand | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const remove = useMutation(
    trpc.composer.removeCommand.mutationOptions({
      onSuccess: () => {
        toast(`Deleted /${removing?.name ?? "the command"}`);
        setRemoving(null);
        void queryClient.invalidateQueries(trpc.composer.pathFilter());
      },
      onError: (err) => setRemoveError(readError(err).message),
    }),
  );

  const list = commands.data ?? [];
  return (
    <SettingsSection
      id="slash-commands"
      title="Slash commands"
      description="Your own prompts, typed as /name in the message box. Every agent can use them."
      actions={
        <Button size="sm" onClick={() => setEditing("new")}>
          <IconPlus className="size-4" />
          Add command
        </Button>
      }
    >
      {commands.error && <FormError>{readError(commands.error).message}</FormError>}
      {commands.isPending ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner className="size-4" /> Loading commands…
        </p>
      ) : list.length === 0 && !commands.error ? (
        <div className="rounded-2xl border border-dashed border-border bg-surface px-4 py-6 text-center text-[15px] text-muted">
          <p>No commands yet. A command is a prompt you reuse, like /review or /changelog.</p>
          <Button variant="primary" className="mt-3" onClick={() => setEditing("new")}>
            <IconPlus className="size-5" />
            Add a command
          </Button>
        </div>
      ) : (
        <ul aria-label="Slash commands" className="divide-y divide-border overflow-hidden rounded-2xl border border-border bg-surface">
          {list.map((c) => (
            <li key={c.id} className="flex items-center gap-2 py-2 pr-2 pl-4">
              <div className="min-w-0 flex-1">
                <p className="truncate font-mono text-[15px] font-medium text-text">/{c.name}</p>
                <p className="truncate text-sm text-muted">{c.description || c.template.split("\n")[0]}</p>
              </div>
              <Button size="icon-sm" variant="ghost" aria-label={`Edit /${c.name}`} title="Edit" onClick={() => setEditing(c)}>
                <IconPencil className="size-4" />
              </Button>
              <Button
                size="icon-sm"
                variant="danger-ghost"
                aria-label={`Delete /${c.name}`}
                title="Delete"
                onClick={() => {
                  setRemoveError(null);
                  setRemoving(c);
                }}
              >
                <IconTrash className="size-4" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" || editing === null ? "New slash command" : `Edit /${editing.name}`}
        variant="sheet"
        size="md"
      >
        {editing !== null && <CommandForm command={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      </Dialog>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing ? `Delete /${removing.name}?` : ""}
        confirmLabel="Delete command"
        pending={remove.isPending}
        error={removeError}
        onConfirm={() => removing && remove.mutate({ id: removing.id })}
      >
        The command disappears from every agent&apos;s message box. Conversations that used it keep their text.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function CommandForm({ command, onDone }: { command: UserCommand | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const nameId = useId();
  const descId = useId();
  const templateId = useId();
  const [name, setName] = useState(command?.name ?? "");
  const [description, setDescription] = useState(command?.description ?? "");
  const [template, setTemplate] = useState(command?.template ?? "");
  const [errors, setErrors] = useState<{ name?: string; description?: string; template?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);

  const save = useMutation(
    trpc.composer.saveCommand.mutationOptions({
      onSuccess: (c) => {
        toast(`Saved /${c.name}`);
        void queryClient.invalidateQueries(trpc.composer.pathFilter());
        onDone();
      },
      onError: (err) => {
        const e = readError(err);
        const f = e.fieldErrors;
        if (f.name || f.description || f.template) setErrors({ name: f.name, description: f.description, template: f.template });
        else setFormError(e.message);
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const n = name.trim().replace(/^\//, "");
    const next: typeof errors = {};
    if (!/^[A-Za-z0-9][\w:-]{0,40}$/.test(n)) next.name = "Letters, digits, - _ : (up to 40), starting with a letter or digit.";
    if (!template.trim()) next.template = "Write the prompt this command sends.";
    setErrors(next);
    if (next.name || next.template) return;
    save.mutate({ id: command?.id, name: n, description: description.trim(), template });
  }

  return (
    <form onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
      <DialogBody className="space-y-5">
        {formError && <FormError>{formError}</FormError>}
        <div>
          <Label htmlFor={nameId}>Name</Label>
          <div className="relative">
            <span aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3.5 -translate-y-1/2 font-mono text-muted">
              /
            </span>
            <Input
              id={nameId}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="review"
              autoCapitalize="off"
              autoComplete="off"
              spellCheck={false}
              className="pl-7 font-mono"
              aria-invalid={!!errors.name || undefined}
              aria-describedby={errors.name ? `${nameId}-error` : undefined}
            />
          </div>
          <FieldError id={`${nameId}-error`}>{errors.name}</FieldError>
        </div>
        <div>
          <Label htmlFor={descId} optional>
            Description
          </Label>
          <Input
            id={descId}
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="Shown beside the name in suggestions"
            aria-invalid={!!errors.description || undefined}
            aria-describedby={errors.description ? `${descId}-error` : undefined}
          />
          <FieldError id={`${descId}-error`}>{errors.description}</FieldError>
        </div>
        <div>
          <Label htmlFor={templateId}>Template</Label>
          <textarea
            id={templateId}
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
            rows={6}
            placeholder={"Review the changes in {{ARGS}} and list any bugs."}
            aria-invalid={!!errors.template || undefined}
            aria-describedby={[`${templateId}-hint`, errors.template && `${templateId}-error`].filter(Boolean).join(" ")}
            className={cn(inputClass, "resize-y py-2.5 leading-6")}
          />
          <Hint id={`${templateId}-hint`}>
            Placeholders:{" "}
            {PLACEHOLDERS.map((p, i) => (
              <span key={p}>
                <code className="rounded bg-surface-2 px-1 py-0.5 font-mono text-[13px] text-text">{p}</code>
                {i < PLACEHOLDERS.length - 1 ? ", " : ""}
              </span>
            ))}{" "}
            — what you type after the command, the agent&apos;s name, its folder, today&apos;s date.
          </Hint>
          <FieldError id={`${templateId}-error`}>{errors.template}</FieldError>
        </div>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending} aria-busy={save.isPending || undefined}>
          {save.isPending && <Spinner className="size-4" />}
          Save command
        </Button>
      </DialogFooter>
    </form>
  );
}
