"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatBytes } from "@/lib/autorun/documents";
import { MAX_BUNDLE_BYTES } from "@/lib/autorun/bundle-rules";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FormError, Hint, Label, Select } from "../ui/field";
import { useToast } from "../ui/toaster";
import { readError } from "../ui/trpc-error";
import type { RouterOutputs } from "../ui/trpc-types";
import { ClashChoice, plural, PlaybookChoiceButton } from "./playbook-choice";

type Answer = RouterOutputs["playbooks"]["import"];
type Imported = Extract<Answer, { kind: "playbook" }>;
type Choices = Extract<Answer, { kind: "manifest" }>;
/** The file as it is sent: JSON text, or a zip in base64. */
type Picked = { kind: "json"; text: string } | { kind: "zip"; zip: string };

const isZip = async (file: File) =>
  /\.zip$/i.test(file.name) || (await file.slice(0, 4).text()) === "PK\u0003\u0004" || file.type === "application/zip";

/** A file's bytes as base64, without reading them into a JS string first. */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("Could not read that file."));
    reader.readAsDataURL(file);
  });
}

/**
 * Import a playbook for an agent: desktop's `.maestro-playbook.zip` (its documents and assets go
 * into the Auto Run folder), a `.json` playbook, or a manifest (`manifest.json` of the registry,
 * desktop's `local-manifest.json`), which opens a picker of its playbooks. Files that already
 * exist with other content are named, and replaced only if the user says so.
 */
export function PlaybookImport({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Import a playbook"
      description="From Maestro desktop: a .maestro-playbook.zip (with its documents), a .json playbook, or a manifest of several."
      size="md"
    >
      {open && <ImportFlow onClose={onClose} />}
    </Dialog>
  );
}

function ImportFlow({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const agents = useQuery(trpc.agents.list.queryOptions());
  const [agentId, setAgentId] = useState("");
  const [file, setFile] = useState<Picked | null>(null);
  const [pick, setPick] = useState<string | undefined>();
  const [choices, setChoices] = useState<Choices | null>(null);
  const [clash, setClash] = useState<{ message: string; hint?: string } | null>(null);
  const [done, setDone] = useState<Imported | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const ids = { agent: useId(), file: useId(), fileHint: useId() };
  const chosenAgent = agentId || agents.data?.[0]?.id || "";

  function answered(answer: Answer) {
    if (answer.kind === "manifest") return setChoices(answer);
    void queryClient.invalidateQueries(trpc.playbooks.pathFilter());
    void queryClient.invalidateQueries(trpc.documents.pathFilter());
    if (answer.missing.length) return setDone(answer);
    toast(`Imported “${answer.name}”${answer.written.length ? ` with ${plural(answer.written.length, "file")}` : ""}.`);
    onClose();
  }
  const onError = (err: unknown) => {
    const e = readError(err);
    if (e.code === "CONFLICT") setClash({ message: e.message, hint: e.hint });
  };
  const importJson = useMutation(trpc.playbooks.import.mutationOptions({ onSuccess: answered, onError }));
  const importZip = useMutation(trpc.playbooks.importZip.mutationOptions({ onSuccess: answered, onError }));
  const pending = importJson.isPending || importZip.isPending;

  function send(picked: Picked, options: { pick?: string; overwrite?: boolean } = {}) {
    setClash(null);
    importJson.reset();
    importZip.reset();
    if (picked.kind === "json") importJson.mutate({ agentId: chosenAgent, text: picked.text, pick: options.pick });
    else importZip.mutate({ agentId: chosenAgent, zip: picked.zip, pick: options.pick, overwrite: options.overwrite });
  }

  async function onFile(chosen: File | undefined) {
    setFileError(null);
    setChoices(null);
    setPick(undefined);
    if (!chosen) return;
    const zip = await isZip(chosen);
    const limit = zip ? MAX_BUNDLE_BYTES : 2_000_000;
    if (chosen.size > limit)
      return setFileError(
        `That file is ${formatBytes(chosen.size)}; ${zip ? "playbook zips" : "playbook files"} are limited to ${formatBytes(limit)}.`,
      );
    const picked: Picked = zip ? { kind: "zip", zip: await base64Of(chosen) } : { kind: "json", text: await chosen.text() };
    setFile(picked);
    send(picked);
  }

  const failed = importJson.error ?? importZip.error;
  const shown = failed ? readError(failed) : null;
  const error = fileError ? { message: fileError, hint: undefined } : shown && shown.code !== "CONFLICT" ? shown : null;

  if (done) {
    return (
      <>
        <DialogBody className="space-y-3 text-[15px]">
          <p>
            Imported <strong>{done.name}</strong>
            {done.written.length ? ` with ${plural(done.written.length, "file")}` : ""}.
          </p>
          <div role="status" className="rounded-xl border border-busy/40 bg-busy/10 px-3.5 py-3">
            <p className="font-medium">
              {done.missing.length === 1 ? "This document is" : `These ${done.missing.length} documents are`} not in the Auto Run folder
              yet:
            </p>
            <ul className="mt-1 list-disc pl-5 font-mono text-sm break-all">
              {done.missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
            <p className="mt-1 text-sm text-muted">
              A manifest carries no documents: add them (New document, or copy the files in) before a run.
            </p>
          </div>
        </DialogBody>
        <DialogFooter>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </DialogFooter>
      </>
    );
  }

  return (
    <>
      <DialogBody className="space-y-4">
        <div>
          <Label htmlFor={ids.agent}>For agent</Label>
          <Select id={ids.agent} value={chosenAgent} onChange={(e) => setAgentId(e.target.value)} disabled={pending || !!choices}>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </div>
        {!choices && (
          <div>
            <Label htmlFor={ids.file}>Playbook file</Label>
            <input
              id={ids.file}
              type="file"
              accept=".zip,.json,application/zip,application/json"
              aria-describedby={ids.fileHint}
              className="block min-h-11 w-full text-[15px]"
              onChange={(e) => void onFile(e.target.files?.[0])}
              disabled={!chosenAgent || pending}
            />
            <Hint id={ids.fileHint}>A zip&apos;s documents and assets are written to the agent&apos;s Auto Run folder.</Hint>
          </div>
        )}
        {choices && file && <ChoiceList choices={choices} pending={pending} onPick={(key) => (setPick(key), send(file, { pick: key }))} />}
        {pending && (
          <p role="status" className="text-sm text-muted">
            Importing…
          </p>
        )}
        {clash && file && (
          <ClashChoice
            clash={clash}
            pending={pending}
            onKeep={() => setClash(null)}
            onReplace={() => send(file, { pick, overwrite: true })}
          />
        )}
        {error && <FormError hint={error.hint}>{error.message}</FormError>}
      </DialogBody>
      <DialogFooter>
        {choices && (
          <Button variant="ghost" onClick={() => (setChoices(null), setFile(null))}>
            Another file
          </Button>
        )}
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </DialogFooter>
    </>
  );
}

/** A manifest's playbooks: one tap imports that one. */
function ChoiceList({ choices, pending, onPick }: { choices: Choices; pending: boolean; onPick: (key: string) => void }) {
  return (
    <section aria-label="Playbooks in this manifest">
      <p className="mb-2 text-[15px]">This manifest lists {plural(choices.choices.length, "playbook")}. Pick one to import its settings.</p>
      <ul className="space-y-2">
        {choices.choices.map((c) => (
          <li key={c.key}>
            <PlaybookChoiceButton choice={c} disabled={pending} onClick={() => onPick(c.key)} label={`Import ${c.name}`} />
          </li>
        ))}
      </ul>
      {choices.skipped.length > 0 && (
        <Hint>
          Left out ({choices.skipped.length}): {choices.skipped.join("; ")}
        </Hint>
      )}
    </section>
  );
}
