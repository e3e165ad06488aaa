-- CreateTable
CREATE TABLE "Playbook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "configJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AutorunRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "playbookId" TEXT,
    "name" TEXT NOT NULL,
    "configJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "pauseReason" TEXT,
    "pauseKind" TEXT,
    "resumeAt" DATETIME,
    "pendingAction" TEXT,
    "endReason" TEXT,
    "tabId" TEXT,
    "docIndex" INTEGER NOT NULL DEFAULT 0,
    "loop" INTEGER NOT NULL DEFAULT 1,
    "docStateJson" TEXT NOT NULL DEFAULT '[]',
    "currentTask" TEXT,
    "currentTurnId" TEXT,
    "tasksDone" INTEGER NOT NULL DEFAULT 0,
    "tasksFailed" INTEGER NOT NULL DEFAULT 0,
    "loopTasksDone" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "elapsedMs" INTEGER NOT NULL DEFAULT 0,
    "activeSince" DATETIME,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AutorunAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "loop" INTEGER NOT NULL,
    "docIndex" INTEGER NOT NULL,
    "docPath" TEXT NOT NULL,
    "taskText" TEXT NOT NULL,
    "taskLine" INTEGER NOT NULL,
    "doneBefore" INTEGER NOT NULL,
    "totalBefore" INTEGER NOT NULL,
    "turnId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "summary" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Playbook_agentId_idx" ON "Playbook"("agentId");

-- CreateIndex
CREATE INDEX "AutorunRun_agentId_status_idx" ON "AutorunRun"("agentId", "status");

-- CreateIndex
CREATE INDEX "AutorunAttempt_runId_startedAt_idx" ON "AutorunAttempt"("runId", "startedAt");
