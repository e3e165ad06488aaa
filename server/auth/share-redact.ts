import path from "node:path";
import type { ChatEvent, ChatView, ParticipantView } from "../../lib/groupchat/types";
import { hasOwnerPowers, type Principal } from "./service";

// What a group chat shows a share session: the participants' folders by name only (as
// `agents.byId` shows an agent's), never where they live on the owner's disk.

function participantsFor(participants: ParticipantView[]): ParticipantView[] {
  return participants.map((p) => ({ ...p, folder: path.basename(p.folder) }));
}

/** The chat as `principal` may see it. */
export function chatViewFor<T extends Pick<ChatView, "participants">>(principal: Principal, view: T): T {
  return hasOwnerPowers(principal) ? view : { ...view, participants: participantsFor(view.participants) };
}

/** A batch of the chat's stream events as `principal` may see them. */
export function chatEventsFor<T extends ChatEvent>(principal: Principal, events: T[]): T[] {
  if (hasOwnerPowers(principal)) return events;
  return events.map((e) => (e.type === "participants" ? { ...e, participants: participantsFor(e.participants) } : e));
}
