import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = path.join(ROOT, "tests", ".artifacts");
/** A migrated, unseeded SQLite database made once per run by the global setup; copied per test. */
export const SQLITE_BASE = path.join(ARTIFACTS, "base.db");
/** The PostgreSQL database migrated once per run; tests create theirs from it as a template. */
// Named after the checkout so two clones (git worktrees, CI beside a developer) never share it.
export const POSTGRES_TEMPLATE_DB = `pb_test_template_${createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}`;
