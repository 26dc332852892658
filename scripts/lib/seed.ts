import type { Db } from "~/server/db.server";
import { createPrompt } from "~/models/prompt-store.server";
import { STARTER_TEMPLATES } from "~/prompt/starters";
import { rawTestValues } from "~/prompt/test-values";

function isUniqueViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Seeds the starter templates when the library is empty; returns how many prompts it created. */
export async function seedIfEmpty(db: Db): Promise<number> {
  if ((await db.prompt.count()) > 0) return 0;
  let created = 0;
  for (const starter of STARTER_TEMPLATES) {
    try {
      await createPrompt(db, {
        slug: starter.slug,
        meta: { name: starter.name, description: starter.description, tags: starter.tags, folder: starter.folder },
        draft: starter.draft,
        message: "Starter template",
        testValues: rawTestValues(starter.draft.variables, starter.sampleValues),
      });
      created++;
    } catch (error) {
      // Another process (a second pod) seeded the same starter at the same moment: fine.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return created;
}
