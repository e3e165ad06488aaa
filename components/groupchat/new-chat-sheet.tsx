"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FormError, Input } from "../ui/field";
import { MoreSection } from "../ui/more-section";
import { readError } from "../ui/trpc-error";
import { AgentChecklist, AgentSelect } from "./agent-picker";
import { ChatLimitsFields } from "./chat-limits";

/** "New group chat": a name, a moderator (one of the agents), the participants; limits under "More". */
export function NewChatSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const [name, setName] = useState("");
  const [moderator, setModerator] = useState("");
  const [participants, setParticipants] = useState<string[]>([]);
  const [timeoutMin, setTimeoutMin] = useState("10");
  const [roundLimit, setRoundLimit] = useState("6");

  const create = useMutation(
    trpc.groupchat.create.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries(trpc.groupchat.list.queryFilter());
        onClose();
        router.push(`/groupchats/${encodeURIComponent(id)}`);
      },
    }),
  );

  const list = agents.data ?? [];
  useEffect(() => {
    if (!open) return;
    setName("");
    setParticipants([]);
    create.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh form each time the sheet opens; `create` is a new object every render
  }, [open]);
  // The first agent moderates unless the user picks another.
  const moderatorId = moderator && list.some((a) => a.id === moderator) ? moderator : (list[0]?.id ?? "");

  const err = create.error ? readError(create.error) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name: name.trim(),
      moderatorAgentId: moderatorId,
      participantAgentIds: participants.filter((id) => id !== moderatorId),
      participantTimeoutMs: Math.round(Number(timeoutMin) * 60_000) || undefined,
      roundLimit: Math.round(Number(roundLimit)) || undefined,
    });
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New group chat"
      description="Ask several agents at once: a moderator routes your message and sums up their answers."
    >
      <form onSubmit={submit} className="flex min-h-0 flex-1 flex-col">
        <DialogBody className="space-y-5">
          <Field label="Name" error={err?.fieldErrors?.name ?? null}>
            {(c) => (
              <Input
                {...c}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="Release review"
                autoComplete="off"
                required
              />
            )}
          </Field>
          <AgentSelect
            label="Moderator"
            hint="It reads the chat and delegates with @mentions. It always runs read-only (plan mode): only participants change files."
            error={err?.fieldErrors?.moderatorAgentId ?? null}
            agents={list}
            value={moderatorId}
            onChange={setModerator}
          />
          <AgentChecklist
            label="Participants"
            agents={list.filter((a) => a.id !== moderatorId)}
            selected={participants}
            onChange={setParticipants}
          />
          <MoreSection summary="More: timeout and round limit">
            <ChatLimitsFields
              timeoutMin={timeoutMin}
              onTimeout={setTimeoutMin}
              roundLimit={roundLimit}
              onRoundLimit={setRoundLimit}
              errors={err?.fieldErrors}
            />
          </MoreSection>
          {err && Object.keys(err.fieldErrors).length === 0 && <FormError hint={err.hint}>{err.message}</FormError>}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!name.trim() || !moderatorId || create.isPending}>
            Create chat
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
