import os from "node:os";
import { z } from "zod";
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
    .input(z.object({ dir: z.string().max(4096).optional() }))
    .query(({ input }) => suggestFolders(input.dir)),
});
