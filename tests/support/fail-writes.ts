/**
 * Makes one kind of write to a table fail inside the database (a trigger that raises), to prove a
 * multi-step write is one transaction: when a later step fails, the earlier steps must be gone too.
 */
import type { TestDatabase } from "./databases";

/** The error a failed write surfaces as: Prisma's SQLite adapter reports a trigger's RAISE as a constraint violation. */
export const INJECTED_FAILURE = /injected failure|constraint violated/;

export async function failWrites(
  t: Pick<TestDatabase, "kind" | "db">,
  table: string,
  op: "INSERT" | "UPDATE" | "DELETE",
) {
  const name = `fail_${table}_${op}`.toLowerCase();
  if (t.kind === "sqlite") {
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER ${name} BEFORE ${op} ON "${table}" BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    return;
  }
  await t.db.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
  );
  await t.db.$executeRawUnsafe(
    `CREATE TRIGGER ${name} BEFORE ${op} ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
}
