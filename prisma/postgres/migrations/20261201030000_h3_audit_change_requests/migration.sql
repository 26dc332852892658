-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "tokenId" TEXT,
    "actorLabel" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL DEFAULT '',
    "targetId" TEXT NOT NULL DEFAULT '',
    "targetName" TEXT NOT NULL DEFAULT '',
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelApprover" (
    "userId" TEXT NOT NULL,
    "grantedById" TEXT,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelApprover_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "LabelChangeRequest" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedByLabel" TEXT NOT NULL DEFAULT '',
    "decidedAt" TIMESTAMP(3),
    "decisionComment" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "LabelChangeRequest_pkey" PRIMARY KEY ("id")
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
       CASE WHEN "detail" = '' THEN '{}' ELSE json_build_object('note', "detail")::text END
FROM "AuditEntry";
