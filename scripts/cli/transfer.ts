// `npm run db:transfer -- --from <url> --to <url> [--force]`: copy a whole instance between SQLite and
// PostgreSQL (either direction) through the bundle format, then check row counts and the library's
// sha256 on both sides (app/models/db-transfer.server.ts; docs/operations.md has the runbook).
// The target is migrated first; the source is only read. Exit 0 on success, 1 on a failed check or
// error, 2 on bad arguments.
import { parseArgs } from "node:util";
import { createDb } from "~/server/db.server";
import { parseDatabaseUrl } from "~/server/db/database-url";
import { logger } from "~/server/logger.server";
import { transfer, TransferError } from "~/models/db-transfer.server";
import { migrateDeploy } from "../lib/migrate";

const USAGE = "usage: npm run db:transfer -- --from <database url> --to <database url> [--force]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: { from?: string; to?: string; force?: boolean };
try {
  args = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, force: { type: "boolean", default: false } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (!args.from || !args.to) fail(USAGE, 2);
for (const url of [args.from, args.to]) {
  try {
    parseDatabaseUrl(url);
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}
if (args.from === args.to) fail("--from and --to name the same database.", 2);

const status = migrateDeploy(args.to);
if (status !== 0) fail(`migrating the target failed (exit ${status})`, 1);

const from = createDb(args.from, { timeoutMs: 120_000 }).db;
const to = createDb(args.to, { timeoutMs: 120_000 }).db;
try {
  const result = await transfer(from, to, { force: args.force ?? false, log: (m) => logger.info(m) });
  logger.info("transfer done", {
    ...result.counts,
    bundleBytes: result.bundleBytes,
    sha256: result.sha256,
    ms: result.ms,
  });
  process.stdout.write(
    `Copied and checked: ${Object.entries(result.counts)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")}; library sha256 ${result.sha256} on both sides.\n`,
  );
} catch (error) {
  if (error instanceof TransferError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    logger.error("transfer failed", { err: error });
    process.exitCode = 1;
  }
} finally {
  await from.$disconnect();
  await to.$disconnect();
}
