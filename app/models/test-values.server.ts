/** A prompt's saved test values (app/prompt/test-values.ts): read with the prompt, saved from the builder. */
import type { Db } from "~/server/db.server";
import { NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { DEFAULT_TEST_SET, rawTestValuesSchema, readTestValueSets, type RawTestValues } from "~/prompt/test-values";

/** The default set of test values of the prompt with this id ({} when none were saved). */
export async function defaultTestValues(db: Db, promptId: string): Promise<RawTestValues> {
  const p = await db.prompt.findUnique({ where: { id: promptId }, select: { testValues: true } });
  return p ? readTestValueSets(p.testValues)[DEFAULT_TEST_SET]! : {};
}

/** Replaces the default set of a live prompt's test values. */
export async function saveDefaultTestValues(db: Db, slug: string, input: unknown): Promise<RawTestValues> {
  const values = parseInput(rawTestValuesSchema, input, { path: ["values"], labels: { values: "Test values" } });
  return db.$transaction(async (tx) => {
    const p = await tx.prompt.findFirst({
      where: { slug, deletedAt: null },
      select: { id: true, testValues: true, updatedAt: true },
    });
    if (!p) throw NotFoundError.prompt(slug);
    const sets = { ...readTestValueSets(p.testValues), [DEFAULT_TEST_SET]: values };
    await tx.prompt.update({
      where: { id: p.id },
      // Test values are not content: the prompt's "updated" date (library sort) stays.
      data: { testValues: JSON.stringify(sets), updatedAt: p.updatedAt },
    });
    return values;
  });
}
