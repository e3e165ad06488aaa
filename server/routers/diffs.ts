import { diffCommitFileInput, diffCommitInput, diffFileInput, diffFilesInput, diffLogInput } from "../../lib/schemas/diffs";
import { protectedProcedure, router } from "../trpc";

/** Read-only views of an agent's repository: changed files, one file's diff, the log, a commit. Owner only. */
export const diffsRouter = router({
  files: protectedProcedure.input(diffFilesInput).query(({ ctx, input }) => ctx.services.diffs.files(input.agentId, input.staged)),
  file: protectedProcedure
    .input(diffFileInput)
    .query(({ ctx, input }) => ctx.services.diffs.file(input.agentId, input.path, input.staged, input.full)),
  log: protectedProcedure
    .input(diffLogInput)
    .query(({ ctx, input }) => ctx.services.diffs.log(input.agentId, input.limit, input.cursor ?? undefined)),
  commit: protectedProcedure.input(diffCommitInput).query(({ ctx, input }) => ctx.services.diffs.commitFiles(input.agentId, input.sha)),
  commitFile: protectedProcedure
    .input(diffCommitFileInput)
    .query(({ ctx, input }) => ctx.services.diffs.commitFile(input.agentId, input.sha, input.path, input.full)),
});
