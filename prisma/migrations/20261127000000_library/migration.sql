-- CreateTable
CREATE TABLE "PromptSnippetUse" (
    "promptId" TEXT NOT NULL,
    "snippetName" TEXT NOT NULL,

    PRIMARY KEY ("promptId", "snippetName"),
    CONSTRAINT "PromptSnippetUse_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConflictDraft" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "headVersion" INTEGER NOT NULL,
    "draft" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConflictDraft_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Prompt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "favorite" BOOLEAN NOT NULL DEFAULT false,
    "folderId" TEXT,
    "ownerId" TEXT,
    "headVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "searchText" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Prompt_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Prompt_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Prompt" ("createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "slug", "updatedAt") SELECT "createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "slug", "updatedAt" FROM "Prompt";
DROP TABLE "Prompt";
ALTER TABLE "new_Prompt" RENAME TO "Prompt";
CREATE UNIQUE INDEX "Prompt_slug_key" ON "Prompt"("slug");
CREATE INDEX "Prompt_folderId_deletedAt_idx" ON "Prompt"("folderId", "deletedAt");
CREATE INDEX "Prompt_deletedAt_updatedAt_idx" ON "Prompt"("deletedAt", "updatedAt");
CREATE INDEX "Prompt_deletedAt_name_idx" ON "Prompt"("deletedAt", "name");
CREATE INDEX "Prompt_deletedAt_createdAt_idx" ON "Prompt"("deletedAt", "createdAt");
CREATE TABLE "new_Section" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "template" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "data" TEXT NOT NULL DEFAULT '{}',
    "key" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Section_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Section" ("data", "enabled", "id", "kind", "position", "template", "title", "versionId") SELECT "data", "enabled", "id", "kind", "position", "template", "title", "versionId" FROM "Section";
DROP TABLE "Section";
ALTER TABLE "new_Section" RENAME TO "Section";
CREATE UNIQUE INDEX "Section_versionId_position_key" ON "Section"("versionId", "position");
CREATE TABLE "new_LabelEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "labelId" TEXT NOT NULL,
    "fromVersionId" TEXT,
    "toVersionId" TEXT NOT NULL,
    "fromNumber" INTEGER,
    "toNumber" INTEGER NOT NULL DEFAULT 0,
    "actorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LabelEvent_labelId_fkey" FOREIGN KEY ("labelId") REFERENCES "Label" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LabelEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_LabelEvent" ("actorId", "createdAt", "fromVersionId", "id", "labelId", "toVersionId") SELECT "actorId", "createdAt", "fromVersionId", "id", "labelId", "toVersionId" FROM "LabelEvent";
DROP TABLE "LabelEvent";
ALTER TABLE "new_LabelEvent" RENAME TO "LabelEvent";
CREATE INDEX "LabelEvent_labelId_createdAt_idx" ON "LabelEvent"("labelId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PromptSnippetUse_snippetName_idx" ON "PromptSnippetUse"("snippetName");

-- CreateIndex
CREATE INDEX "ConflictDraft_promptId_idx" ON "ConflictDraft"("promptId");

-- CreateIndex
CREATE INDEX "ConflictDraft_createdAt_idx" ON "ConflictDraft"("createdAt");

-- CreateIndex
CREATE INDEX "Label_name_idx" ON "Label"("name");

-- CreateIndex
CREATE INDEX "Label_versionId_idx" ON "Label"("versionId");

-- ---------------------------------------------------------------------------------------------
-- Full-text search (raw SQL: Prisma does not model FTS5). docs/decisions/030-full-text-search.md
-- "Prompt"."searchText" is the search document the app writes (normalised name, description and
-- head-version section text). prompt_fts indexes it; prompt_fts_doc gives every prompt a stable
-- integer document id (a table without INTEGER PRIMARY KEY may get new rowids on VACUUM, so the
-- FTS rowid cannot be the prompt's rowid). The triggers keep both in step with "Prompt".
-- A later migration that redefines "Prompt" (Prisma's RedefineTables) drops these triggers with
-- the old table: re-create them there (tests/integration/library-search.test.ts checks they exist).
-- Existing prompts get a first document from SQL; the app rewrites it (normalised) on every save.
UPDATE "Prompt" SET "searchText" = lower("name" || ' ' || "description" || ' ' || coalesce((
  SELECT group_concat(s."title" || ' ' || s."template", ' ')
  FROM "Section" s JOIN "PromptVersion" v ON v."id" = s."versionId"
  WHERE v."promptId" = "Prompt"."id" AND v."number" = "Prompt"."headVersion"), ''));

CREATE TABLE "prompt_fts_doc" (
    "docid" INTEGER NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL
);
CREATE UNIQUE INDEX "prompt_fts_doc_promptId_key" ON "prompt_fts_doc"("promptId");

CREATE VIRTUAL TABLE "prompt_fts" USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

INSERT INTO "prompt_fts_doc" ("promptId") SELECT "id" FROM "Prompt";
INSERT INTO "prompt_fts" (rowid, body) SELECT d."docid", p."searchText" FROM "Prompt" p JOIN "prompt_fts_doc" d ON d."promptId" = p."id";

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
