-- CreateTable
CREATE TABLE "HistoryEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "agentId" TEXT,
    "agentName" TEXT NOT NULL DEFAULT '',
    "tabId" TEXT,
    "turnId" TEXT,
    "runId" TEXT,
    "success" BOOLEAN NOT NULL DEFAULT true,
    "summary" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',
    "durationMs" INTEGER,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "HistoryEntry_createdAt_idx" ON "HistoryEntry"("createdAt");

-- CreateIndex
CREATE INDEX "HistoryEntry_agentId_createdAt_idx" ON "HistoryEntry"("agentId", "createdAt");

-- CreateIndex
CREATE INDEX "HistoryEntry_kind_createdAt_idx" ON "HistoryEntry"("kind", "createdAt");
