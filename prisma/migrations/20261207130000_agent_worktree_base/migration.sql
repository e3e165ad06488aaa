-- AlterTable
ALTER TABLE "Agent" ADD COLUMN "worktreeBaseBranch" TEXT;
