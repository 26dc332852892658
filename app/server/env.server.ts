/**
 * Configuration from environment variables, validated by zod once at start. A bad value stops the
 * process with one line that names the variable (see `getEnv`). Only what is in PUBLIC_ENV
 * ever reaches the browser.
 */
import { z } from "zod";
import pkg from "../../package.json";
import { DEFAULT_DATABASE_URL, DatabaseUrlError, parseDatabaseUrl } from "./db/database-url";

/** A blank value (an empty line in .env, an empty manifest value) means "not set": the default applies. */
const blankAsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .pipe(
        z.stringbool({
          truthy: ["true", "1", "yes", "on"],
          falsy: ["false", "0", "no", "off"],
          error: (issue) => `expected true or false, got "${String(issue.input)}"`,
        }),
      )
      .default(fallback),
  );

const port = (fallback: number) => {
  const error = (issue: { input?: unknown }) => `expected a port number from 1 to 65535, got "${String(issue.input)}"`;
  // Digits only: z.coerce alone would take "0x50" and "8e3".
  return z.preprocess(
    blankAsUnset,
    z
      .string()
      .trim()
      .regex(/^\d+$/, { error })
      .pipe(z.coerce.number<string>().int({ error }).min(1, { error }).max(65535, { error }))
      .default(fallback),
  );
};

const milliseconds = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected milliseconds from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const minutes = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

export const envSchema = z
  .object({
    // remix-serve sets production when NODE_ENV is unset; the command-line tools agree with it.
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    DATABASE_URL: z
      .string()
      .trim()
      .optional()
      .transform((value, ctx) => {
        const url = value || DEFAULT_DATABASE_URL;
        try {
          parseDatabaseUrl(url);
        } catch (error) {
          if (!(error instanceof DatabaseUrlError)) throw error;
          ctx.addIssue({ code: "custom", message: error.message });
          return z.NEVER;
        }
        return url;
      }),
    PORT: port(3000),
    METRICS_PORT: port(9464),
    SESSION_SECRET: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ENABLE_AUTH: booleanFlag(false),
    // With accounts on, who may create one after the first admin: "invite" (an admin's link) or "open".
    SIGNUP: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((v) => v || "invite")
      .pipe(z.enum(["invite", "open"], { message: "expected invite or open" })),
    // A session ends after this long without a request (idle) and this long after login (absolute).
    SESSION_IDLE_MINUTES: minutes(7 * 24 * 60, 5, 90 * 24 * 60),
    SESSION_MAX_DAYS: minutes(30, 1, 365),
    ENABLE_EXPORT: booleanFlag(true),
    LOG_LEVEL: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((v) => v || "info")
      .pipe(
        z.enum(["debug", "info", "warn", "error", "silent"], {
          message: "expected debug, info, warn, error or silent",
        }),
      ),
    // PostgreSQL: connect, statement and query timeout (docs/operations.md, "Timeouts").
    DATABASE_TIMEOUT_MS: milliseconds(5000, 500, 120_000),
    // Drain time for in-flight requests after SIGTERM; keep it below the pod's grace period.
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000, 0, 300_000),
    BACKUP_DIR: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || "./backups"),
    SENTRY_DSN: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.url({ message: "expected a URL" }).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.PORT === env.METRICS_PORT) {
      ctx.addIssue({ code: "custom", path: ["METRICS_PORT"], message: `must differ from PORT (${env.PORT})` });
    }
    if (env.ENABLE_AUTH) {
      if (env.SESSION_SECRET.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["SESSION_SECRET"],
          message: "is required when ENABLE_AUTH is true (one or more secrets, comma-separated; the first signs)",
        });
      } else if (env.SESSION_SECRET.some((s) => s.length < 32)) {
        ctx.addIssue({
          code: "custom",
          path: ["SESSION_SECRET"],
          message: "each secret must be at least 32 characters",
        });
      }
    }
  });

export type Env = z.infer<typeof envSchema> & { APP_VERSION: string };

export type EnvResult = { ok: true; env: Env } | { ok: false; message: string };

/** Parses a raw environment; on failure returns one line naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): EnvResult {
  const result = envSchema.safeParse(raw);
  if (result.success) return { ok: true, env: { ...result.data, APP_VERSION: pkg.version } };
  const parts = result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`);
  return { ok: false, message: `Invalid configuration: ${parts.join("; ")}` };
}

let cached: Env | undefined;

/** The validated environment; the first call validates and stops the process on a bad value. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
  cached = result.env;
  return cached;
}

/** The part of the configuration the browser may see. */
export function publicEnv(env: Env = getEnv()) {
  return {
    APP_VERSION: env.APP_VERSION,
    ENABLE_EXPORT: env.ENABLE_EXPORT,
    ENABLE_AUTH: env.ENABLE_AUTH,
    SIGNUP: env.SIGNUP,
  };
}
