import { AppError } from "../../errors";
import type { GroupChatService } from "./types";

export type { ChatCaller, GroupChatService } from "./types";

/** CONTRACT STUB — replaced by the engine (helper wt-gc-engine). Every call says it is not built. */
export function createGroupChatService(): GroupChatService {
  const notYet = (): Promise<never> => Promise.reject(new AppError("CONFLICT", "Group chat is not built yet."));
  return {
    list: () => Promise.resolve([]),
    get: () => notYet(),
    create: () => notYet(),
    update: () => notYet(),
    remove: () => notYet(),
    addParticipant: () => notYet(),
    removeParticipant: () => notYet(),
    setRole: () => notYet(),
    send: () => notYet(),
    stop: () => notYet(),
    retry: () => notYet(),
    async *pagesAfter() {},
    recoverInterrupted: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
