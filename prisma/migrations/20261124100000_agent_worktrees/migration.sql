-- AlterTable
ALTER TABLE "Agent" ADD COLUMN "parentId" TEXT REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Agent" ADD COLUMN "worktreeBranch" TEXT;

-- CreateIndex
CREATE INDEX "Agent_parentId_idx" ON "Agent"("parentId");
