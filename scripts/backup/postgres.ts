/** Running the PostgreSQL client tools (pg_dump, pg_restore) for the backup and restore commands. */
import { spawn } from "node:child_process";
import type { DatabaseTarget } from "../../app/server/db/database-url";

export type PostgresTarget = Extract<DatabaseTarget, { kind: "postgres" }>;

export class ToolError extends Error {}

export function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new ToolError(
          error.code === "ENOENT" ? `${command} not found (install the PostgreSQL client tools)` : error.message,
        ),
      ),
    );
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** libpq environment for a target, so the password never appears on a command line. */
export function libpqEnv(target: PostgresTarget, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: target.database,
  };
  if (target.password !== undefined) env.PGPASSWORD = target.password;
  else delete env.PGPASSWORD;
  const sslmode = new URL(target.url).searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  delete env.DATABASE_URL;
  return env;
}

export const pgDumpPath = () => process.env.PG_DUMP_PATH || "pg_dump";
export const pgRestorePath = () => process.env.PG_RESTORE_PATH || "pg_restore";
