-- AlterTable
ALTER TABLE "Tab" ADD COLUMN "permissionMode" TEXT;

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "turnId" TEXT NOT NULL,
    "tabId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "runId" TEXT,
    "provider" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "toolUseId" TEXT,
    "toolName" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'tool',
    "inputJson" TEXT NOT NULL DEFAULT '{}',
    "suggestedRule" TEXT,
    "blockedPath" TEXT,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedByKind" TEXT,
    "decidedById" TEXT,
    "decidedByLabel" TEXT,
    "message" TEXT,
    "updatedInputJson" TEXT,
    "answersJson" TEXT,
    "ruleId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "decidedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PermissionRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "ruleContent" TEXT NOT NULL DEFAULT '',
    "createdByLabel" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PermissionRule_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN "canApprove" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Approval_status_idx" ON "Approval"("status");

-- CreateIndex
CREATE INDEX "Approval_turnId_idx" ON "Approval"("turnId");

-- CreateIndex
CREATE INDEX "Approval_agentId_createdAt_idx" ON "Approval"("agentId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PermissionRule_agentId_tool_ruleContent_key" ON "PermissionRule"("agentId", "tool", "ruleContent");

