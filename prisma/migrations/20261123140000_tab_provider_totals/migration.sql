-- AlterTable
ALTER TABLE "Tab" ADD COLUMN "providerTotals" TEXT;

