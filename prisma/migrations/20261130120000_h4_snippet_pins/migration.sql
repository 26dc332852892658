-- Saved test values per prompt (issue 9). The table is rebuilt as Prisma writes it (so the migrated
-- schema matches prisma/schema.prisma), and the full-text triggers of 20261127000000_library, which
-- go with the old table, are created again on the new one.
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
    "testValues" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Prompt_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "Folder" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Prompt_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Prompt" ("createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "searchText", "slug", "updatedAt") SELECT "createdAt", "deletedAt", "description", "favorite", "folderId", "headVersion", "id", "name", "ownerId", "searchText", "slug", "updatedAt" FROM "Prompt";
DROP TABLE "Prompt";
ALTER TABLE "new_Prompt" RENAME TO "Prompt";
CREATE UNIQUE INDEX "Prompt_slug_key" ON "Prompt"("slug");
CREATE INDEX "Prompt_folderId_deletedAt_idx" ON "Prompt"("folderId", "deletedAt");
CREATE INDEX "Prompt_deletedAt_updatedAt_idx" ON "Prompt"("deletedAt", "updatedAt");
CREATE INDEX "Prompt_deletedAt_name_idx" ON "Prompt"("deletedAt", "name");
CREATE INDEX "Prompt_deletedAt_createdAt_idx" ON "Prompt"("deletedAt", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

-- CreateTable
CREATE TABLE "VersionSnippetPin" (
    "versionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "snippetId" TEXT,
    "snippetVersionId" TEXT,
    "snippetNumber" INTEGER NOT NULL,
    "template" TEXT NOT NULL,

    PRIMARY KEY ("versionId", "name"),
    CONSTRAINT "VersionSnippetPin_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VersionSnippetPin_snippetVersionId_fkey" FOREIGN KEY ("snippetVersionId") REFERENCES "SnippetVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "VersionSnippetPin_snippetId_idx" ON "VersionSnippetPin"("snippetId");

-- CreateIndex
CREATE INDEX "VersionSnippetPin_snippetVersionId_idx" ON "VersionSnippetPin"("snippetVersionId");

-- Existing versions rendered with the newest version of every live snippet: pin them to exactly
-- those, so what they render today is what they render from now on. A version whose templates hold
-- a partial tag gets a pin for every live snippet (a snippet can include others, and SQL cannot
-- follow that), and a pin that no template uses changes nothing. docs/decisions/090-pinned-snippets.md
INSERT INTO "VersionSnippetPin" ("versionId", "name", "snippetId", "snippetVersionId", "snippetNumber", "template")
SELECT v."id", s."name", s."id", sv."id", sv."number", sv."template"
FROM "PromptVersion" v
CROSS JOIN "Snippet" s
JOIN "SnippetVersion" sv ON sv."snippetId" = s."id" AND sv."number" = s."headVersion"
WHERE s."deletedAt" IS NULL
  AND EXISTS (SELECT 1 FROM "Section" sec WHERE sec."versionId" = v."id" AND sec."template" LIKE '%{{%>%');
