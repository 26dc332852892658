-- AlterTable
ALTER TABLE "LabelEvent" ADD COLUMN     "evalRunId" TEXT;

-- CreateTable
CREATE TABLE "TestCase" (
    "id" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "values" TEXT NOT NULL DEFAULT '{}',
    "assertions" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TestCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalSuite" (
    "id" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "assertions" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvalSuite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelGate" (
    "id" TEXT NOT NULL,
    "labelId" TEXT NOT NULL,
    "suiteId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelGate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalRun" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "EvalRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalJob" (
    "id" TEXT NOT NULL,
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
    "costUsd" DOUBLE PRECISION,
    "latencyMs" INTEGER,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "EvalJob_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "TestCase" ADD CONSTRAINT "TestCase_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalSuite" ADD CONSTRAINT "EvalSuite_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelGate" ADD CONSTRAINT "LabelGate_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "Label"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelGate" ADD CONSTRAINT "LabelGate_suiteId_fkey" FOREIGN KEY ("suiteId") REFERENCES "EvalSuite"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalRun" ADD CONSTRAINT "EvalRun_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalJob" ADD CONSTRAINT "EvalJob_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvalRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
