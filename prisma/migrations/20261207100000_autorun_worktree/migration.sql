-- AlterTable
ALTER TABLE "AutorunRun" ADD COLUMN "worktreeAgentId" TEXT;
ALTER TABLE "AutorunRun" ADD COLUMN "worktreeBranch" TEXT;
ALTER TABLE "AutorunRun" ADD COLUMN "prUrl" TEXT;
ALTER TABLE "AutorunRun" ADD COLUMN "prVia" TEXT;
ALTER TABLE "AutorunRun" ADD COLUMN "prWarning" TEXT;
