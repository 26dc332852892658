-- Variables of type list and object keep their item type and typed fields (issue 9).
-- SQLite: the table is redefined (as prisma migrate writes it), so the stored schema text matches
-- a database created from schema.prisma.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Variable" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'string',
    "required" BOOLEAN NOT NULL DEFAULT true,
    "defaultJson" TEXT,
    "enumJson" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "shapeJson" TEXT,
    CONSTRAINT "Variable_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Variable" ("id", "versionId", "position", "name", "type", "required", "defaultJson", "enumJson", "description")
SELECT "id", "versionId", "position", "name", "type", "required", "defaultJson", "enumJson", "description" FROM "Variable";
DROP TABLE "Variable";
ALTER TABLE "new_Variable" RENAME TO "Variable";
CREATE UNIQUE INDEX "Variable_versionId_name_key" ON "Variable"("versionId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
