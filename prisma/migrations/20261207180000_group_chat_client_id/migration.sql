-- A user message's client id: a resend of the same message is recognised, not run twice.
ALTER TABLE "GroupChatMessage" ADD COLUMN "clientId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "GroupChatMessage_chatId_clientId_key" ON "GroupChatMessage"("chatId", "clientId");
