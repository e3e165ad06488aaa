-- CreateTable
CREATE TABLE "Mission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "refId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "statusDetail" TEXT NOT NULL DEFAULT '',
    "concurrency" INTEGER NOT NULL DEFAULT 3,
    "failurePolicy" TEXT NOT NULL DEFAULT 'continue',
    "finishMode" TEXT NOT NULL DEFAULT 'pr',
    "poolJson" TEXT NOT NULL DEFAULT '[]',
    "baseBranch" TEXT,
    "branch" TEXT,
    "missionAgentId" TEXT,
    "prUrl" TEXT,
    "prVia" TEXT,
    "finishWarning" TEXT,
    "planJson" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "approvedAt" DATETIME,
    "completedAt" DATETIME,
    CONSTRAINT "Mission_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionMilestone" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "missionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "order" INTEGER NOT NULL DEFAULT 0,
    "kind" TEXT NOT NULL DEFAULT 'work',
    "profile" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sealedAt" DATETIME,
    "sealedBy" TEXT,
    CONSTRAINT "MissionMilestone_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionFeature" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "missionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "milestoneKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "workerType" TEXT,
    "dependsOnJson" TEXT NOT NULL DEFAULT '[]',
    "verificationJson" TEXT NOT NULL DEFAULT '[]',
    "fulfillsJson" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "statusDetail" TEXT NOT NULL DEFAULT '',
    "agentId" TEXT,
    "worktreeAgentId" TEXT,
    "branch" TEXT,
    "tabId" TEXT,
    "turnId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "mergedSha" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    CONSTRAINT "MissionFeature_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionAssertion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "missionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "evidence" TEXT NOT NULL DEFAULT '',
    "setBy" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MissionAssertion_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionHandoff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "folder" TEXT NOT NULL,
    "missionId" TEXT,
    "featureKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "claimedBy" TEXT,
    "fieldsJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pickedUpAt" DATETIME,
    "completedAt" DATETIME,
    CONSTRAINT "MissionHandoff_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionMemory" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "folder" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MissionCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "missionId" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT 'manual',
    "snapshot" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MissionCheckpoint_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MissionEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "missionId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MissionEvent_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Mission_updatedAt_idx" ON "Mission"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Mission_agentId_refId_key" ON "Mission"("agentId", "refId");

-- CreateIndex
CREATE UNIQUE INDEX "MissionMilestone_missionId_key_key" ON "MissionMilestone"("missionId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "MissionFeature_missionId_key_key" ON "MissionFeature"("missionId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "MissionAssertion_missionId_key_key" ON "MissionAssertion"("missionId", "key");

-- CreateIndex
CREATE INDEX "MissionHandoff_folder_createdAt_idx" ON "MissionHandoff"("folder", "createdAt");

-- CreateIndex
CREATE INDEX "MissionHandoff_missionId_idx" ON "MissionHandoff"("missionId");

-- CreateIndex
CREATE INDEX "MissionMemory_folder_createdAt_idx" ON "MissionMemory"("folder", "createdAt");

-- CreateIndex
CREATE INDEX "MissionCheckpoint_missionId_createdAt_idx" ON "MissionCheckpoint"("missionId", "createdAt");

-- CreateIndex
CREATE INDEX "MissionEvent_missionId_id_idx" ON "MissionEvent"("missionId", "id");

