-- CreateTable
CREATE TABLE "BackupRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "kind" TEXT NOT NULL,
    "bytes" BIGINT,
    "location" TEXT NOT NULL,
    "error" TEXT
);

-- CreateIndex
CREATE INDEX "BackupRun_ok_finishedAt_idx" ON "BackupRun"("ok", "finishedAt");
