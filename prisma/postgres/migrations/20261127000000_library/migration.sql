-- DropIndex
DROP INDEX "Prompt_folderId_idx";

-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Section" ADD COLUMN     "key" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "LabelEvent" ADD COLUMN     "fromNumber" INTEGER,
ADD COLUMN     "toNumber" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PromptSnippetUse" (
    "promptId" TEXT NOT NULL,
    "snippetName" TEXT NOT NULL,

    CONSTRAINT "PromptSnippetUse_pkey" PRIMARY KEY ("promptId","snippetName")
);

-- CreateTable
CREATE TABLE "ConflictDraft" (
    "id" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "headVersion" INTEGER NOT NULL,
    "draft" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "authorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConflictDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PromptSnippetUse_snippetName_idx" ON "PromptSnippetUse"("snippetName");

-- CreateIndex
CREATE INDEX "ConflictDraft_promptId_idx" ON "ConflictDraft"("promptId");

-- CreateIndex
CREATE INDEX "ConflictDraft_createdAt_idx" ON "ConflictDraft"("createdAt");

-- CreateIndex
CREATE INDEX "Prompt_folderId_deletedAt_idx" ON "Prompt"("folderId", "deletedAt");

-- CreateIndex
CREATE INDEX "Prompt_deletedAt_name_idx" ON "Prompt"("deletedAt", "name");

-- CreateIndex
CREATE INDEX "Prompt_deletedAt_createdAt_idx" ON "Prompt"("deletedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Label_name_idx" ON "Label"("name");

-- CreateIndex
CREATE INDEX "Label_versionId_idx" ON "Label"("versionId");

-- AddForeignKey
ALTER TABLE "PromptSnippetUse" ADD CONSTRAINT "PromptSnippetUse_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictDraft" ADD CONSTRAINT "ConflictDraft_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Full-text search (raw SQL: Prisma does not model tsvector). docs/decisions/030-full-text-search.md
-- "Prompt"."searchText" is the search document the app writes (normalised name, description and
-- head-version section text). A generated tsvector column with the 'simple' configuration (no
-- stemming, no stop words: the same tokens the SQLite unicode61 tokenizer produces from that text)
-- and a GIN index serve the search. Existing prompts get a first document from SQL, the app
-- rewrites it (normalised) on every save. No semicolons in these comments: the pg adapter splits scripts on them.
UPDATE "Prompt" p SET "searchText" = regexp_replace(lower(p."name" || ' ' || p."description" || ' ' || coalesce((
  SELECT string_agg(s."title" || ' ' || s."template", ' ' ORDER BY s."position")
  FROM "Section" s JOIN "PromptVersion" v ON v."id" = s."versionId"
  WHERE v."promptId" = p."id" AND v."number" = p."headVersion"), '')), '[^[:alnum:]]+', ' ', 'g');

ALTER TABLE "Prompt" ADD COLUMN "searchVector" tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "searchText")) STORED;
CREATE INDEX "Prompt_searchVector_idx" ON "Prompt" USING GIN ("searchVector");
