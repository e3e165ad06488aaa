
-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN "groupChatId" TEXT;

-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN "groupChatId" TEXT;

-- CreateTable
CREATE TABLE "GroupChat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "moderatorAgentId" TEXT NOT NULL,
    "moderatorTabId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "statusDetail" TEXT NOT NULL DEFAULT '',
    "participantTimeoutMs" INTEGER NOT NULL DEFAULT 600000,
    "roundLimit" INTEGER NOT NULL DEFAULT 6,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GroupChatParticipant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chatId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "tabId" TEXT,
    "role" TEXT NOT NULL DEFAULT '',
    "colorIndex" INTEGER NOT NULL DEFAULT 0,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GroupChatParticipant_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "GroupChat" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupChatParticipant_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupChatRound" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chatId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "userMessageId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "moderatorTurns" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "GroupChatRound_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "GroupChat" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupChatMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chatId" TEXT NOT NULL,
    "roundId" TEXT,
    "author" TEXT NOT NULL,
    "agentId" TEXT,
    "agentName" TEXT NOT NULL DEFAULT '',
    "turnId" TEXT,
    "tabId" TEXT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'done',
    "text" TEXT NOT NULL DEFAULT '',
    "mentionsJson" TEXT NOT NULL DEFAULT '[]',
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "durationMs" INTEGER,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "GroupChatMessage_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "GroupChat" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupChatEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GroupChatEvent_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "GroupChat" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "GroupChat_updatedAt_idx" ON "GroupChat"("updatedAt");

-- CreateIndex
CREATE INDEX "GroupChatParticipant_agentId_idx" ON "GroupChatParticipant"("agentId");

-- CreateIndex
CREATE UNIQUE INDEX "GroupChatParticipant_chatId_agentId_key" ON "GroupChatParticipant"("chatId", "agentId");

-- CreateIndex
CREATE INDEX "GroupChatRound_chatId_index_idx" ON "GroupChatRound"("chatId", "index");

-- CreateIndex
CREATE INDEX "GroupChatMessage_chatId_createdAt_idx" ON "GroupChatMessage"("chatId", "createdAt");

-- CreateIndex
CREATE INDEX "GroupChatMessage_roundId_idx" ON "GroupChatMessage"("roundId");

-- CreateIndex
CREATE INDEX "GroupChatEvent_chatId_id_idx" ON "GroupChatEvent"("chatId", "id");

