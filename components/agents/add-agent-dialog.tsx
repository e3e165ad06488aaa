"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from "@/lib/providers/catalog";
import { createAgentInput } from "@/lib/schemas/agents";
import { fieldMessages } from "@/lib/schemas/form-errors";
import { useTRPC } from "@/lib/trpc/client";
import { FolderPickerDialog } from "./folder-picker-dialog";
import { IconFolder } from "../ui/icons";
import { splitInstall } from "./provider-install";
import { useToast } from "../ui/toaster";
import type { Agent } from "../ui/trpc-types";
import { readError, type ReadableError } from "../ui/trpc-error";
import { Button } from "../ui/button";
import { CodeBlock } from "../ui/copy-button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, FormError, Hint, Input, Label, Select } from "../ui/field";
import { useGroups, useMe } from "./use-agents";

type Field = "name" | "folder" | "provider" | "groupId";
const FIELDS: Field[] = ["name", "folder", "provider", "groupId"];

function basename(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? "";
}

/** The add-agent form: a bottom sheet on phones, a centred dialog on wider screens. */
export function AddAgentDialog({
  initialGroupId,
  onClose,
  onCreated,
}: {
  initialGroupId: string | null;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const toast = useToast();
  const groups = useGroups();
  const me = useMe();
  const detect = useQuery(trpc.providers.detect.queryOptions(undefined, { staleTime: 30_000 }));

  const [name, setName] = useState("");
  const [nameTouched, setNameTouched] = useState(false);
  const [folder, setFolder] = useState("");
  const [provider, setProvider] = useState<ProviderId>("simulator");
  const [groupId, setGroupId] = useState(initialGroupId ?? "");
  const [picking, setPicking] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<ReadableError | null>(null);

  const create = useMutation(
    trpc.agents.create.mutationOptions({
      onSuccess: (agent) => {
        queryClient.setQueryData(trpc.agents.list.queryKey(), (old: Agent[] | undefined) =>
          old && !old.some((a) => a.id === agent.id) ? [...old, agent] : old,
        );
        void queryClient.invalidateQueries(trpc.agents.pathFilter());
        onCreated(agent.id);
        toast(`Created ${agent.name}`);
        onClose();
        if (pathname !== "/") router.push("/");
      },
      onError: (err) => {
        const e = readError(err);
        const fieldErrors: Partial<Record<Field, string>> = {};
        for (const f of FIELDS) if (e.fieldErrors[f]) fieldErrors[f] = e.fieldErrors[f];
        setErrors(fieldErrors);
        const onField = Object.keys(fieldErrors).length > 0;
        // A field error's hint belongs under the field; anything else goes on top of the form.
        setFormError(onField ? (e.hint ? { ...e, message: "" } : null) : e);
        const first = FIELDS.find((f) => fieldErrors[f]);
        if (first) document.getElementById(`agent-${first}`)?.focus();
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    // The bridge's own input schema: the same rules and words here as there.
    const parsed = createAgentInput.safeParse({ name, folder, provider, groupId: groupId || null });
    const local = parsed.success ? {} : fieldMessages<Field>(parsed.error.issues);
    setErrors(local);
    setFormError(null);
    const first = FIELDS.find((f) => local[f]);
    if (first || !parsed.success) {
      if (first) document.getElementById(`agent-${first}`)?.focus();
      return;
    }
    create.mutate(parsed.data);
  }

  const detected = detect.data?.find((p) => p.id === provider);
  const missing = detected && !detected.installed;
  const install = splitInstall(PROVIDERS[provider].install);
  const folderHint = formError && !formError.message ? formError.hint : undefined;
  const describe = (f: Field, extra?: string) => [errors[f] ? `agent-${f}-error` : null, extra].filter(Boolean).join(" ") || undefined;

  return (
    <>
      <Dialog open onClose={onClose} title="Add an agent" description="An agent works in one project folder with one AI coding CLI.">
        <form onSubmit={submit} noValidate className="contents">
          <DialogBody className="space-y-5">
            {formError?.message && <FormError hint={formError.hint}>{formError.message}</FormError>}

            <div>
              <Label htmlFor="agent-name">Name</Label>
              <Input
                id="agent-name"
                data-autofocus
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setNameTouched(true);
                }}
                maxLength={80}
                autoComplete="off"
                placeholder="e.g. api-server"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={describe("name")}
              />
              <FieldError id="agent-name-error">{errors.name}</FieldError>
            </div>

            <div>
              <Label htmlFor="agent-folder">Project folder</Label>
              <div className="flex gap-2">
                <Input
                  id="agent-folder"
                  value={folder}
                  onChange={(e) => setFolder(e.target.value)}
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                  inputMode="url"
                  placeholder={me.data ? `${me.data.homeDir}/projects/app` : "/path/to/project"}
                  className="font-mono"
                  aria-invalid={errors.folder ? true : undefined}
                  aria-describedby={describe("folder", "agent-folder-hint")}
                />
                <Button onClick={() => setPicking(true)} className="gap-1.5">
                  <IconFolder className="size-4" />
                  Browse
                </Button>
              </div>
              <FieldError id="agent-folder-error">{errors.folder}</FieldError>
              <Hint id="agent-folder-hint">
                {folderHint ?? `An absolute path on ${me.data?.hostname ?? "the machine running Maestro"}.`}
              </Hint>
            </div>

            <div>
              <Label htmlFor="agent-provider">Provider</Label>
              <Select
                id="agent-provider"
                value={provider}
                onChange={(e) => setProvider(e.target.value as ProviderId)}
                aria-invalid={errors.provider ? true : undefined}
                aria-describedby={describe("provider", "agent-provider-hint")}
              >
                {PROVIDER_IDS.map((id) => {
                  const d = detect.data?.find((p) => p.id === id);
                  const suffix = id === "simulator" ? " (default)" : d && !d.installed ? " (not installed)" : "";
                  return (
                    <option key={id} value={id}>
                      {PROVIDERS[id].label + suffix}
                    </option>
                  );
                })}
              </Select>
              <FieldError id="agent-provider-error">{errors.provider}</FieldError>
              <div id="agent-provider-hint">
                {provider === "simulator" ? (
                  <Hint>Built in: try everything without any AI CLI installed.</Hint>
                ) : missing ? (
                  <div className="mt-2 rounded-xl border border-busy/40 bg-busy/8 p-3 text-sm">
                    <p className="font-medium text-text">
                      {PROVIDERS[provider].label} is not installed on {me.data?.hostname ?? "this machine"}.
                    </p>
                    {install.command && <CodeBlock code={install.command} copyLabel="Copy install command" className="mt-2 bg-surface" />}
                    <p className="mt-2 text-muted">
                      {install.after ? `${install.after} ` : ""}You can create the agent now and re-check in{" "}
                      <Link
                        href="/settings/doctor"
                        className="font-medium text-accent underline-offset-2 hover:underline"
                        onClick={onClose}
                      >
                        Doctor
                      </Link>
                      .
                    </p>
                  </div>
                ) : detected ? (
                  <Hint>
                    Found {detected.version ? `version ${detected.version}` : "it"} at{" "}
                    <span className="font-mono text-[13px]">{detected.path}</span>.
                  </Hint>
                ) : null}
              </div>
            </div>

            <div>
              <Label htmlFor="agent-groupId" optional>
                Group
              </Label>
              <Select
                id="agent-groupId"
                value={groupId}
                onChange={(e) => setGroupId(e.target.value)}
                aria-invalid={errors.groupId ? true : undefined}
                aria-describedby={describe("groupId")}
              >
                <option value="">No group</option>
                {groups.data?.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </Select>
              <FieldError id="agent-groupId-error">{errors.groupId}</FieldError>
            </div>
          </DialogBody>
          <DialogFooter>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending} aria-busy={create.isPending || undefined}>
              {create.isPending ? "Creating…" : "Create agent"}
            </Button>
          </DialogFooter>
        </form>
      </Dialog>
      {picking && (
        <FolderPickerDialog
          initialDir={folder.trim() || undefined}
          onClose={() => setPicking(false)}
          onChoose={(path) => {
            setFolder(path);
            setErrors((e) => ({ ...e, folder: undefined }));
            if (!nameTouched || !name.trim()) setName(basename(path));
            setPicking(false);
          }}
        />
      )}
    </>
  );
}
