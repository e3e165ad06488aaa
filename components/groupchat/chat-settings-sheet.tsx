"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { ChatHeader } from "@/lib/groupchat/types";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FormError, Input, Select } from "../ui/field";
import { IconTrash } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { ChatLimitsFields } from "./chat-limits";

/** Rename, moderator, limits; delete (confirmed). Opened fresh each time (mount it only while open). */
export function ChatSettingsSheet({ chat, onClose }: { chat: ChatHeader; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const [name, setName] = useState(chat.name);
  const [moderator, setModerator] = useState(chat.moderatorAgentId);
  const [timeoutMin, setTimeoutMin] = useState(String(Math.round(chat.participantTimeoutMs / 60_000)));
  const [roundLimit, setRoundLimit] = useState(String(chat.roundLimit));
  const [confirming, setConfirming] = useState(false);
  const update = useMutation(trpc.groupchat.update.mutationOptions({ onSuccess: onClose }));
  const remove = useMutation(
    trpc.groupchat.remove.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.groupchat.list.queryFilter());
        router.push("/groupchats");
      },
    }),
  );
  const err = update.error ? readError(update.error) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      chatId: chat.id,
      name: name.trim() !== chat.name ? name.trim() : undefined,
      moderatorAgentId: moderator !== chat.moderatorAgentId ? moderator : undefined,
      participantTimeoutMs: Math.round(Number(timeoutMin) * 60_000) || undefined,
      roundLimit: Math.round(Number(roundLimit)) || undefined,
    });
  };

  return (
    <>
      <Dialog open onClose={onClose} title="Chat settings">
        <form onSubmit={submit} className="flex min-h-0 flex-1 flex-col">
          <DialogBody className="space-y-5">
            <Field label="Name" error={err?.fieldErrors?.name ?? null}>
              {(c) => <Input {...c} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />}
            </Field>
            <Field label="Moderator" hint="It always runs read-only (plan mode)." error={err?.fieldErrors?.moderatorAgentId ?? null}>
              {(c) => (
                <Select {...c} value={moderator} onChange={(e) => setModerator(e.target.value)}>
                  {!(agents.data ?? []).some((a) => a.id === chat.moderatorAgentId) && (
                    <option value={chat.moderatorAgentId}>{chat.moderatorName}</option>
                  )}
                  {(agents.data ?? []).map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <ChatLimitsFields
              timeoutMin={timeoutMin}
              onTimeout={setTimeoutMin}
              roundLimit={roundLimit}
              onRoundLimit={setRoundLimit}
              errors={err?.fieldErrors}
            />
            {err && Object.keys(err.fieldErrors).length === 0 && <FormError hint={err.hint}>{err.message}</FormError>}
            <div className="border-t border-border pt-4">
              <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
                <IconTrash className="size-5" />
                Delete this chat
              </Button>
            </div>
          </DialogBody>
          <DialogFooter>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={!name.trim() || update.isPending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </Dialog>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete “${chat.name}”?`}
        confirmLabel="Delete chat"
        pending={remove.isPending}
        error={remove.error ? readError(remove.error).message : null}
        onConfirm={() => remove.mutate({ chatId: chat.id })}
      >
        Its messages are deleted and any running round stops. The agents and their own conversations stay.
      </ConfirmDialog>
    </>
  );
}
