"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ChatView, ParticipantView } from "@/lib/groupchat/types";
import { useTRPC } from "@/lib/trpc/client";
import { providerLabel } from "../agents/agent-card";
import { useAgents } from "../agents/use-agents";
import { Button } from "../ui/button";
import { FormError, inputClass, Select } from "../ui/field";
import { readError } from "../ui/trpc-error";
import { TruncatedPath } from "../ui/truncated-path";
import { participantColor } from "./chat-meta";

function ParticipantRow({ chatId, p, working }: { chatId: string; p: ParticipantView; working: boolean }) {
  const trpc = useTRPC();
  const [role, setRole] = useState(p.role);
  const remove = useMutation(trpc.groupchat.removeParticipant.mutationOptions());
  const saveRole = useMutation(trpc.groupchat.setRole.mutationOptions());
  const error = remove.error ?? saveRole.error;
  return (
    <li aria-label={p.agentName} className="space-y-2 py-3">
      <div className="flex items-center gap-2.5">
        <span aria-hidden="true" className="size-3 shrink-0 rounded-full" style={{ backgroundColor: participantColor(p.colorIndex) }} />
        <div className="min-w-0 flex-1">
          <p className="truncate text-[15px] font-semibold">
            {p.agentName}
            {working && <span className="ml-2 text-xs font-medium text-busy">working</span>}
          </p>
          <p className="truncate text-xs text-muted">
            {providerLabel(p.provider)} · <TruncatedPath path={p.folder} />
          </p>
        </div>
        <Button
          size="sm"
          variant="danger-ghost"
          aria-label={`Remove ${p.agentName}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate({ chatId, agentId: p.agentId })}
        >
          Remove
        </Button>
      </div>
      <label className="block">
        <span className="sr-only">Role of {p.agentName}</span>
        <input
          className={`${inputClass} text-[15px]`}
          value={role}
          placeholder="Role in one line (e.g. reviews security)"
          maxLength={200}
          onChange={(e) => setRole(e.target.value)}
          onBlur={() => {
            if (role.trim() !== p.role) saveRole.mutate({ chatId, agentId: p.agentId, role: role.trim() });
          }}
        />
      </label>
      {error && <FormError>{readError(error).message}</FormError>}
    </li>
  );
}

/** The moderator, every participant (role, remove) and an agent picker to add one. */
export function ParticipantsPanel({ view }: { view: ChatView }) {
  const trpc = useTRPC();
  const agents = useAgents();
  const chatId = view.chat.id;
  const inChat = new Set(view.participants.map((p) => p.agentId));
  const candidates = (agents.data ?? []).filter((a) => !inChat.has(a.id) && a.id !== view.chat.moderatorAgentId);
  const [pick, setPick] = useState("");
  const add = useMutation(trpc.groupchat.addParticipant.mutationOptions({ onSuccess: () => setPick("") }));
  const chosen = candidates.some((a) => a.id === pick) ? pick : (candidates[0]?.id ?? "");

  return (
    <div className="space-y-4">
      <div className="rounded-xl bg-surface-2/70 px-3.5 py-2.5 text-sm">
        <p className="font-semibold">Moderator: {view.chat.moderatorName}</p>
        <p className="text-muted">{providerLabel(view.chat.moderatorProvider)} · always runs read-only (plan mode)</p>
      </div>
      {view.participants.length === 0 ? (
        <p className="text-sm text-muted">No participants yet. Add one below, or mention an agent with @ in a message.</p>
      ) : (
        <ul aria-label="Participants" className="divide-y divide-border">
          {view.participants.map((p) => (
            <ParticipantRow key={`${p.id}:${p.role}`} chatId={chatId} p={p} working={view.chat.working.includes(p.agentId)} />
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen) add.mutate({ chatId, agentId: chosen });
          }}
        >
          <label className="min-w-0 flex-1">
            <span className="mb-1.5 block text-sm font-medium">Add an agent</span>
            <Select value={chosen} onChange={(e) => setPick(e.target.value)}>
              {candidates.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </label>
          <Button type="submit" variant="primary" disabled={!chosen || add.isPending}>
            Add
          </Button>
        </form>
      )}
      {add.error && <FormError>{readError(add.error).message}</FormError>}
    </div>
  );
}
