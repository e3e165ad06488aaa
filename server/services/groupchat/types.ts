import type { ChatListItem, ChatView, StoredChatEvent } from "../../../lib/groupchat/types";
import type { CreateChatInput, ParticipantInput, SendChatInput, UpdateChatInput } from "../../../lib/schemas/groupchat";

/** Who asks: the owner may pull any agent into a chat by @mention; a share session may not. */
export interface ChatCaller {
  canAddParticipants: boolean;
}

/**
 * Group chat (server/services/groupchat): the contract the router and the app build on.
 * Every row change and the stream event that tells it are written in one transaction, then
 * published on the bus ("groupchat.events" with the stored events; "groupchat.changed" for lists).
 */
export interface GroupChatService {
  list(): Promise<ChatListItem[]>;
  /** The chat as stored now, with the stream id it is current to. NOT_FOUND when gone. */
  get(chatId: string): Promise<ChatView>;
  create(input: CreateChatInput): Promise<{ id: string }>;
  update(input: UpdateChatInput): Promise<void>;
  /** Stops the chat's processes, then deletes it (its agents' tabs stay). */
  remove(chatId: string): Promise<void>;
  addParticipant(input: ParticipantInput): Promise<void>;
  /** Refused (CONFLICT) while that participant works on a request of a running round. */
  removeParticipant(input: { chatId: string; agentId: string }): Promise<void>;
  setRole(input: { chatId: string; agentId: string; role: string }): Promise<void>;
  /** Appends the user's message and starts a round (CONFLICT while one runs). */
  send(input: SendChatInput, caller: ChatCaller): Promise<{ messageId: string; roundId: string; duplicate?: true }>;
  /** Stops every process of the chat (the Auto Runs it started too); the round ends "stopped". `stopping`: something was stopped. */
  stop(chatId: string): Promise<{ stopping: boolean }>;
  /** Runs the last user message again after a round ended interrupted, failed, stopped or at its limit. */
  retry(chatId: string): Promise<{ roundId: string }>;
  /** Stored events after an id, in pages (the stream's backlog). */
  pagesAfter(chatId: string, afterId: number): AsyncIterable<StoredChatEvent[]>;
  /** After a bridge restart: rounds left running are marked interrupted (Retry offered). */
  recoverInterrupted(): Promise<void>;
  shutdown(): Promise<void>;
}
