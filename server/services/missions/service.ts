import { AppError } from "../../errors";
import type { MissionService } from "./types";

/**
 * The missions service. This is the contract's placeholder: every method answers that missions
 * are not built yet, so the router, the CLI and the app can be written against it.
 */
export function createMissionService(): MissionService {
  const notYet = (): never => {
    throw new AppError("BAD_INPUT", "Missions are not built yet.");
  };
  return new Proxy({} as MissionService, {
    get: (_t, key) => (key === "then" ? undefined : key === "shutdown" || key === "recoverInterrupted" ? async () => {} : notYet),
  });
}
