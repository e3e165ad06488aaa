import os from "node:os";
import { z } from "zod";
import { suggestFolders } from "../services/folders";
import { protectedProcedure, router } from "../trpc";

export const systemRouter = router({
  /** Who am I and where is the bridge: the app's first query after load. */
  me: protectedProcedure.query(({ ctx }) => ({
    principal: ctx.principal,
    dataDir: ctx.services.dataDir,
    homeDir: os.homedir(),
    hostname: os.hostname(),
    version: ctx.services.version,
  })),
  /** Sub-folders of a directory, for the project-folder picker. */
  folders: protectedProcedure
    .input(z.object({ dir: z.string().max(4096).optional() }))
    .query(({ input }) => suggestFolders(input.dir)),
});
