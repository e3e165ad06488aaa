import os from "node:os";
import { foldersInput } from "../../lib/schemas/system";
import { suggestFolders } from "../services/folders";
import { protectedProcedure, router } from "../trpc";

export const systemRouter = router({
  /** Who am I and where is the bridge: the app's first query after load. */
  me: protectedProcedure.meta({ share: "self" }).query(({ ctx }) =>
    // A teammate learns about their own link, never about the machine.
    ctx.principal.kind === "share"
      ? { principal: ctx.principal, dataDir: null, homeDir: null, hostname: null, version: ctx.services.version }
      : {
          principal: ctx.principal,
          dataDir: ctx.services.dataDir as string | null,
          homeDir: os.homedir() as string | null,
          hostname: os.hostname() as string | null,
          version: ctx.services.version,
        },
  ),
  /** Sub-folders of a directory, for the project-folder picker. */
  folders: protectedProcedure
    .input(foldersInput)
    .query(({ input }) => suggestFolders(input.dir)),
});
