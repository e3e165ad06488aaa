import os from "node:os";
import { hasOwnerPowers, type Principal } from "../auth/service";

/** Who is asking and where the bridge runs: the app's first query after load. */
export function createSystemService(deps: { dataDir: string; version: string }) {
  return {
    /** A teammate learns about their own link, never about the machine. */
    me(principal: Principal) {
      const machine = hasOwnerPowers(principal);
      return {
        principal,
        dataDir: machine ? deps.dataDir : null,
        homeDir: machine ? os.homedir() : null,
        hostname: machine ? os.hostname() : null,
        version: deps.version,
      };
    },
  };
}
