-- AlterTable
ALTER TABLE "LabelEvent" ADD COLUMN "evalRunId" TEXT;

-- CreateTable
CREATE TABLE "TestCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "values" TEXT NOT NULL DEFAULT '{}',
    "assertions" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TestCase_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvalSuite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "assertions" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EvalSuite_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LabelGate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labelId" TEXT NOT NULL,
    "suiteId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LabelGate_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "Label" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LabelGate_suiteId_fkey" FOREIGN KEY ("suiteId") REFERENCES "EvalSuite" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvalRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "suiteId" TEXT,
    "suiteName" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "EvalRun_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvalJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "caseName" TEXT NOT NULL,
    "values" TEXT NOT NULL DEFAULT '{}',
    "assertions" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseOwner" TEXT,
    "leaseUntil" BIGINT NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "output" TEXT NOT NULL DEFAULT '',
    "passed" BOOLEAN,
    "results" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "costUsd" REAL,
    "latencyMs" INTEGER,
    "finishedAt" DATETIME,
    CONSTRAINT "EvalJob_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvalRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TestCase_promptId_position_idx" ON "TestCase"("promptId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "TestCase_promptId_name_key" ON "TestCase"("promptId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "EvalSuite_promptId_name_key" ON "EvalSuite"("promptId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "LabelGate_labelId_key" ON "LabelGate"("labelId");

-- CreateIndex
CREATE INDEX "LabelGate_suiteId_idx" ON "LabelGate"("suiteId");

-- CreateIndex
CREATE INDEX "EvalRun_promptId_createdAt_idx" ON "EvalRun"("promptId", "createdAt");

-- CreateIndex
CREATE INDEX "EvalRun_suiteId_versionId_status_idx" ON "EvalRun"("suiteId", "versionId", "status");

-- CreateIndex
CREATE INDEX "EvalJob_status_leaseUntil_idx" ON "EvalJob"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "EvalJob_runId_position_idx" ON "EvalJob"("runId", "position");
