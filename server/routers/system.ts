import { foldersInput, meOutput } from "../../lib/schemas/system";
import { suggestFolders } from "../services/folders";
import { protectedProcedure, router } from "../trpc";

export const systemRouter = router({
  /** Who am I and where is the bridge: the app's first query after load. */
  me: protectedProcedure
    .meta({ share: "self" })
    .output(meOutput)
    .query(({ ctx }) => ctx.services.system.me(ctx.principal)),
  /** Sub-folders of a directory, for the project-folder picker. */
  folders: protectedProcedure.input(foldersInput).query(({ input }) => suggestFolders(input.dir)),
});
