-- AlterTable
ALTER TABLE "Turn" ADD COLUMN "gitBefore" TEXT;
ALTER TABLE "Turn" ADD COLUMN "gitAfter" TEXT;
ALTER TABLE "Turn" ADD COLUMN "gitChanged" INTEGER;
