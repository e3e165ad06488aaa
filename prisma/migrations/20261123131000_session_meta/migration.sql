-- CreateTable
CREATE TABLE "SessionMeta" (
    "provider" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "name" TEXT,
    "starred" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("provider", "sessionId")
);

