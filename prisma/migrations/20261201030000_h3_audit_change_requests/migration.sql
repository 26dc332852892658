-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "tokenId" TEXT,
    "actorLabel" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL DEFAULT '',
    "targetId" TEXT NOT NULL DEFAULT '',
    "targetName" TEXT NOT NULL DEFAULT '',
    "details" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "LabelApprover" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "grantedById" TEXT,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LabelChangeRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "labelName" TEXT NOT NULL,
    "fromVersionId" TEXT,
    "fromNumber" INTEGER,
    "toVersionId" TEXT NOT NULL,
    "toNumber" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "comment" TEXT NOT NULL DEFAULT '',
    "proposedById" TEXT,
    "proposedByLabel" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedByLabel" TEXT NOT NULL DEFAULT '',
    "decidedAt" DATETIME,
    "decisionComment" TEXT NOT NULL DEFAULT ''
);

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_at_idx" ON "AuditEvent"("targetType", "targetId", "at");

-- CreateIndex
CREATE INDEX "LabelChangeRequest_status_createdAt_idx" ON "LabelChangeRequest"("status", "createdAt");

-- CreateIndex
CREATE INDEX "LabelChangeRequest_promptId_status_idx" ON "LabelChangeRequest"("promptId", "status");

-- The account changes recorded so far move into the one audit log (AuditEntry stays until the
-- code of every branch writes AuditEvent, and nothing reads it any more).
INSERT INTO "AuditEvent" ("id", "at", "actorId", "address", "action", "targetName", "details")
SELECT "id", "createdAt", "actorId", "ip", "action", "target",
       CASE WHEN "detail" = '' THEN '{}' ELSE json_object('note', "detail") END
FROM "AuditEntry";
