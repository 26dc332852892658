-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "ip" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccountLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "userId" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "labels" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables (Prisma's table rebuild; the rebuild of "Prompt" drops its full-text search
-- triggers, re-created below exactly as 20261127000000_library wrote them: decision 030)
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'editor',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passwordHash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO "new_User" ("createdAt", "email", "id", "name", "role") SELECT "createdAt", "email", "id", "name", "role" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "new_Prompt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "favorite" BOOLEAN NOT NULL DEFAULT false,
    "folderId" TEXT,
    "ownerId" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'shared',
    "headVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "searchText" TEXT NOT NULL DEFAULT '',
    "testValues" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Prompt_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Prompt_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- "testValues" comes from 20261130120000_h4_snippet_pins, which ran first: the rebuild keeps it.
INSERT INTO "new_Prompt" ("createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "searchText", "slug", "updatedAt", "testValues") SELECT "createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "searchText", "slug", "updatedAt", "testValues" FROM "Prompt";
DROP TABLE "Prompt";
ALTER TABLE "new_Prompt" RENAME TO "Prompt";
CREATE UNIQUE INDEX "Prompt_slug_key" ON "Prompt"("slug");
CREATE INDEX "Prompt_folderId_deletedAt_idx" ON "Prompt"("folderId", "deletedAt");
CREATE INDEX "Prompt_deletedAt_updatedAt_idx" ON "Prompt"("deletedAt", "updatedAt");
CREATE INDEX "Prompt_deletedAt_name_idx" ON "Prompt"("deletedAt", "name");
CREATE INDEX "Prompt_deletedAt_createdAt_idx" ON "Prompt"("deletedAt", "createdAt");
-- Full-text search triggers on the rebuilt "Prompt" (see 20261127000000_library).
CREATE TRIGGER "prompt_fts_after_insert" AFTER INSERT ON "Prompt" BEGIN
    INSERT INTO "prompt_fts_doc" ("promptId") VALUES (new."id");
    INSERT INTO "prompt_fts" (rowid, body) VALUES ((SELECT "docid" FROM "prompt_fts_doc" WHERE "promptId" = new."id"), new."searchText");
END;

CREATE TRIGGER "prompt_fts_after_update" AFTER UPDATE OF "searchText" ON "Prompt" WHEN old."searchText" IS NOT new."searchText" BEGIN
    DELETE FROM "prompt_fts" WHERE rowid = (SELECT "docid" FROM "prompt_fts_doc" WHERE "promptId" = old."id");
    INSERT INTO "prompt_fts" (rowid, body) VALUES ((SELECT "docid" FROM "prompt_fts_doc" WHERE "promptId" = new."id"), new."searchText");
END;

CREATE TRIGGER "prompt_fts_after_delete" AFTER DELETE ON "Prompt" BEGIN
    DELETE FROM "prompt_fts" WHERE rowid = (SELECT "docid" FROM "prompt_fts_doc" WHERE "promptId" = old."id");
    DELETE FROM "prompt_fts_doc" WHERE "promptId" = old."id";
END;
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccountLink_tokenHash_key" ON "AccountLink"("tokenHash");

-- CreateIndex
CREATE INDEX "AccountLink_kind_createdAt_idx" ON "AccountLink"("kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "AuditEntry_createdAt_idx" ON "AuditEntry"("createdAt");
