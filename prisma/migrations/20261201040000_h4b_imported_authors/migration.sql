-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN "importedOwner" TEXT;

-- AlterTable
ALTER TABLE "PromptVersion" ADD COLUMN "importedAuthor" TEXT;

-- AlterTable
ALTER TABLE "LabelEvent" ADD COLUMN "importedActor" TEXT;

-- AlterTable
ALTER TABLE "SnippetVersion" ADD COLUMN "importedAuthor" TEXT;
