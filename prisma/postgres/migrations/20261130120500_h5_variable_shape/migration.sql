-- Variables of type list and object keep their item type and typed fields (issue 9).
ALTER TABLE "Variable" ADD COLUMN "shapeJson" TEXT;
