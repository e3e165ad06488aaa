-- AlterTable
ALTER TABLE "OwnerSession" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'device';
