-- AlterTable
ALTER TABLE "Turn" ADD COLUMN "clientId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Turn_tabId_clientId_key" ON "Turn"("tabId", "clientId");
