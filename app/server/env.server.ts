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

/** Text that may be unset; blank counts as unset. */
const optionalText = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined);

const optionalUrl = () =>
  optionalText().pipe(
    z
      .url({ protocol: /^https?$/, message: "expected an http(s) URL" })
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
  );

/** A comma-separated list of model ids (an allow-list); unset means every model the provider lists. */
const modelList = () =>
  optionalText().transform((v) =>
    v
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  );

/** A whole number from `min` to `max` (digits only); blank means `fallback`. */
const count = (fallback: number, min: number, max: number, unit: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected ${unit} from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const milliseconds = (fallback: number, min: number, max: number) => count(fallback, min, max, "milliseconds");

/** The most any body limit may be set to (bytes); see docs/decisions/085-request-bounds-at-the-http-layer.md. */
export const MAX_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const bodyLimit = (fallback: number) => count(fallback, 1024, MAX_BODY_LIMIT_BYTES, "bytes");
/** Requests per minute per client; 0 switches the limit off (docs/decisions/086-rate-limits.md). */
const perMinute = (fallback: number) => count(fallback, 0, 1_000_000, "requests per minute");

/** An amount in US dollars (up to 2 decimals); blank = no limit. */
const dollars = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(value)) {
        ctx.addIssue({
          code: "custom",
          message: `expected an amount in US dollars such as 25 or 12.50, got "${value}"`,
        });
        return z.NEVER;
      }
      return Number(value);
    });

/** A whole number of minutes or days. */
/** A comma-separated list of secrets for rotation: the first signs or encrypts, every one verifies or decrypts. */
const secretList = () =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );

const minutes = (fallback: number, min: number, max: number) => count(fallback, min, max, "a whole number");

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
    SESSION_SECRET: secretList(),
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
    // Bundles (docs/bundle-format.md): the largest import file, and the most prompt versions one export holds.
    // Unset (0 here): the smaller of BODY_LIMIT_JSON_BYTES and BODY_LIMIT_FORM_BYTES (2 MiB by default).
    IMPORT_MAX_BYTES: bodyLimit(0),
    EXPORT_MAX_VERSIONS: count(20_000, 1, 10_000_000, "versions"),
    // Single sign-on with OpenID Connect (docs/security.md, "Single sign-on"): all four or none.
    OIDC_ISSUER: optionalText().pipe(z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional()),
    OIDC_CLIENT_ID: optionalText(),
    OIDC_CLIENT_SECRET: optionalText(),
    // E-mail domains whose users may sign in (comma-separated, e.g. example.com), or * for any.
    OIDC_ALLOWED_DOMAINS: optionalText().transform((v) =>
      v
        ? v
            .split(",")
            .map((s) => s.trim().toLowerCase().replace(/^@/, ""))
            .filter(Boolean)
        : undefined,
    ),
    // The role of an account made by its first single sign-on (admins can change it afterwards).
    OIDC_DEFAULT_ROLE: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((v) => v || "viewer")
      .pipe(z.enum(["viewer", "editor"], { message: "expected viewer or editor" })),
    // The provider's name on the login page's button ("Sign in with …").
    OIDC_DISPLAY_NAME: optionalText().transform((v) => (v ?? "single sign-on").slice(0, 60)),
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
    // Request bounds at the HTTP layer (docs/operations.md, "Request limits").
    BODY_LIMIT_FORM_BYTES: bodyLimit(8 * 1024 * 1024),
    BODY_LIMIT_JSON_BYTES: bodyLimit(2 * 1024 * 1024),
    BODY_LIMIT_DEFAULT_BYTES: bodyLimit(1024 * 1024),
    HTTP_HEADERS_TIMEOUT_MS: milliseconds(10_000, 500, 600_000),
    HTTP_REQUEST_TIMEOUT_MS: milliseconds(30_000, 500, 600_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(65_000, 1000, 600_000),
    HTTP_MAX_REQUESTS_PER_SOCKET: count(1000, 0, 1_000_000, "requests"),
    RATE_LIMIT_RENDER_PER_MINUTE: perMinute(600),
    RATE_LIMIT_WRITES_PER_MINUTE: perMinute(120),
    RATE_LIMIT_SAVES_PER_MINUTE: perMinute(30),
    // Log-in, sign-up and password-reset attempts, per address and (log-in) per account.
    RATE_LIMIT_LOGINS_PER_MINUTE: perMinute(10),
    // How many proxies in front of the app append to X-Forwarded-For: 0 ignores the header.
    TRUST_PROXY: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === "" || value === "false" || value === "no" || value === "off") return 0;
        if (value === "true" || value === "yes" || value === "on") return 1;
        if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
        ctx.addIssue({
          code: "custom",
          message: `expected false, true or a number of proxies from 0 to 10, got "${value}"`,
        });
        return z.NEVER;
      }),
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
    // Model providers for the playground (docs/playground.md): a provider exists when its key is set.
    OPENAI_API_KEY: optionalText(),
    OPENAI_BASE_URL: optionalUrl(),
    OPENAI_MODELS: modelList(),
    ANTHROPIC_API_KEY: optionalText(),
    ANTHROPIC_BASE_URL: optionalUrl(),
    ANTHROPIC_MODELS: modelList(),
    // A playground run is cut after this long (the provider's answer included).
    PLAYGROUND_TIMEOUT_MS: milliseconds(120_000, 1000, 600_000),
    // MCP clients' open event streams (GET /mcp, prompt-list notifications) per process; 0 = none.
    MCP_MAX_STREAMS: count(100, 0, 10_000, "streams"),
    // Budgets (docs/decisions/112-run-history-and-budgets.md): per run, tokens; per month, US dollars from recorded run costs.
    // 0 / blank = no limit.
    PLAYGROUND_MAX_INPUT_TOKENS: count(0, 0, 10_000_000, "tokens"),
    PLAYGROUND_MAX_OUTPUT_TOKENS: count(0, 0, 1_000_000, "tokens"),
    PLAYGROUND_MONTHLY_BUDGET_USD: dollars(),
    PLAYGROUND_USER_MONTHLY_BUDGET_USD: dollars(),
    // Encrypts the API keys of providers configured in the app (/admin/providers); comma-separated,
    // the first encrypts, all decrypt (rotation: docs/decisions/111-provider-keys-encrypted-at-rest.md).
    PROVIDER_KEY_SECRET: secretList().refine(
      (secrets) => secrets.every((s) => s.length >= 32),
      "each secret must be at least 32 characters",
    ),
  })
  .superRefine((env, ctx) => {
    checkOidc(env, ctx);
    if (env.PORT === env.METRICS_PORT) {
      ctx.addIssue({ code: "custom", path: ["METRICS_PORT"], message: `must differ from PORT (${env.PORT})` });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["HTTP_HEADERS_TIMEOUT_MS"],
        message: `must not exceed HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS})`,
      });
    }
    // The HTTP layer refuses a body over its limit before the import route sees it.
    for (const limit of ["BODY_LIMIT_JSON_BYTES", "BODY_LIMIT_FORM_BYTES"] as const)
      if (env.IMPORT_MAX_BYTES && env.IMPORT_MAX_BYTES > env[limit])
        ctx.addIssue({
          code: "custom",
          path: ["IMPORT_MAX_BYTES"],
          message: `must not exceed ${limit} (${env[limit]}), which refuses a larger body first`,
        });
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
  })
  .transform((env) => ({
    ...env,
    IMPORT_MAX_BYTES: env.IMPORT_MAX_BYTES || Math.min(env.BODY_LIMIT_JSON_BYTES, env.BODY_LIMIT_FORM_BYTES),
  }));

const OIDC_REQUIRED = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_DOMAINS"] as const;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Single sign-on is configured whole or not at all, only with accounts on, and over https. */
function checkOidc(
  env: {
    ENABLE_AUTH: boolean;
    OIDC_ISSUER?: string;
    OIDC_CLIENT_ID?: string;
    OIDC_CLIENT_SECRET?: string;
    OIDC_ALLOWED_DOMAINS?: string[];
  },
  ctx: z.RefinementCtx,
) {
  const set = OIDC_REQUIRED.filter((k) => env[k] !== undefined && env[k].length > 0);
  if (set.length === 0) return;
  for (const key of OIDC_REQUIRED.filter((k) => !set.includes(k))) {
    ctx.addIssue({
      code: "custom",
      path: [key],
      message: `is required for single sign-on (set all of ${OIDC_REQUIRED.join(", ")}, or none; ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set)`,
    });
  }
  if (!env.ENABLE_AUTH)
    ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "single sign-on needs ENABLE_AUTH=true" });
  if (env.OIDC_ISSUER) {
    const url = new URL(env.OIDC_ISSUER);
    if (url.protocol === "http:" && !LOOPBACK.has(url.hostname))
      ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must be https (http only for localhost)" });
  }
  const domains = env.OIDC_ALLOWED_DOMAINS ?? [];
  const bad = domains.find(
    (d) => d !== "*" && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(d),
  );
  if (bad)
    ctx.addIssue({
      code: "custom",
      path: ["OIDC_ALLOWED_DOMAINS"],
      message: `expected e-mail domains like example.com, or *; got "${bad}"`,
    });
}

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

/** Whether single sign-on is configured (checkOidc makes it all or nothing). */
export function oidcEnabled(env: Env = getEnv()): boolean {
  return Boolean(env.ENABLE_AUTH && env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
}
