-- Saved test values per prompt (issue 9).
ALTER TABLE "Prompt" ADD COLUMN "testValues" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "VersionSnippetPin" (
    "versionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "snippetId" TEXT,
    "snippetVersionId" TEXT,
    "snippetNumber" INTEGER NOT NULL,
    "template" TEXT NOT NULL,

    CONSTRAINT "VersionSnippetPin_pkey" PRIMARY KEY ("versionId","name")
);

-- CreateIndex
CREATE INDEX "VersionSnippetPin_snippetId_idx" ON "VersionSnippetPin"("snippetId");

-- CreateIndex
CREATE INDEX "VersionSnippetPin_snippetVersionId_idx" ON "VersionSnippetPin"("snippetVersionId");

-- AddForeignKey
ALTER TABLE "VersionSnippetPin" ADD CONSTRAINT "VersionSnippetPin_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionSnippetPin" ADD CONSTRAINT "VersionSnippetPin_snippetVersionId_fkey" FOREIGN KEY ("snippetVersionId") REFERENCES "SnippetVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

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
