import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env).toMatchObject({
      NODE_ENV: "production",
      DATABASE_URL: "file:./data/app.db",
      PORT: 3000,
      METRICS_PORT: 9464,
      ENABLE_AUTH: false,
      ENABLE_EXPORT: true,
      LOG_LEVEL: "info",
      BACKUP_DIR: "./backups",
      SESSION_SECRET: [],
    });
    expect(result.env.SENTRY_DSN).toBeUndefined();
    expect(result.env).toMatchObject({ IMPORT_MAX_BYTES: 2 * 1024 * 1024, EXPORT_MAX_VERSIONS: 20_000 });
    expect(
      parseEnv({ IMPORT_MAX_BYTES: "4194304", BODY_LIMIT_JSON_BYTES: "4194304", BODY_LIMIT_FORM_BYTES: "8388608" }),
    ).toMatchObject({ ok: true, env: { IMPORT_MAX_BYTES: 4194304 } });
    expect(result.env.APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("reads and converts every variable", () => {
    const result = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://app:secret@db:5432/prompts",
      PORT: "8080",
      METRICS_PORT: "9100",
      ENABLE_AUTH: "true",
      SESSION_SECRET: "a".repeat(32) + "," + "b".repeat(40),
      ENABLE_EXPORT: "no",
      LOG_LEVEL: "WARN",
      BACKUP_DIR: "/backups",
      SENTRY_DSN: "https://key@sentry.example.com/1",
    });
    expect(result).toMatchObject({
      ok: true,
      env: {
        PORT: 8080,
        METRICS_PORT: 9100,
        ENABLE_AUTH: true,
        ENABLE_EXPORT: false,
        LOG_LEVEL: "warn",
        SESSION_SECRET: ["a".repeat(32), "b".repeat(40)],
      },
    });
  });

  it.each([
    [{ PORT: "abc" }, 'PORT: expected a port number from 1 to 65535, got "abc"'],
    [{ PORT: "70000" }, "PORT: expected a port number"],
    [{ PORT: "3000.5" }, "PORT: expected a port number"],
    [{ METRICS_PORT: "-1" }, "METRICS_PORT: expected a port number"],
    [{ PORT: "9000", METRICS_PORT: "9000" }, "METRICS_PORT: must differ from PORT (9000)"],
    [{ DATABASE_URL: "mysql://x@y/z" }, "DATABASE_URL: must start with file: (SQLite) or postgres://"],
    [{ DATABASE_URL: "postgresql://host" }, "DATABASE_URL: a postgresql:// URL needs a database name"],
    [{ ENABLE_AUTH: "maybe" }, 'ENABLE_AUTH: expected true or false, got "maybe"'],
    [{ ENABLE_EXPORT: "enabled" }, 'ENABLE_EXPORT: expected true or false, got "enabled"'],
    [{ PORT: "0x50" }, 'PORT: expected a port number from 1 to 65535, got "0x50"'],
    [{ PORT: "0" }, 'PORT: expected a port number from 1 to 65535, got "0"'],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: expected debug, info, warn, error or silent"],
    [{ SENTRY_DSN: "not a url" }, "SENTRY_DSN: expected a URL"],
    [{ NODE_ENV: "production", ENABLE_AUTH: "true" }, "SESSION_SECRET: is required when ENABLE_AUTH is true"],
    [
      { NODE_ENV: "production", ENABLE_AUTH: "1", SESSION_SECRET: "short" },
      "SESSION_SECRET: each secret must be at least 32 characters",
    ],
  ])("rejects %j with one line naming the variable", (raw, expected) => {
    const result = parseEnv(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(expected);
    expect(result.message.startsWith("Invalid configuration: ")).toBe(true);
    expect(result.message).not.toContain("\n");
  });

  it("reads blank values as unset and ignores surrounding spaces and case", () => {
    expect(
      parseEnv({
        NODE_ENV: "development",
        PORT: " 8080 ",
        METRICS_PORT: "",
        ENABLE_AUTH: " TRUE ",
        SESSION_SECRET: " " + "s".repeat(32) + " ",
        ENABLE_EXPORT: "  ",
      }),
    ).toMatchObject({
      ok: true,
      env: { PORT: 8080, METRICS_PORT: 9464, ENABLE_AUTH: true, ENABLE_EXPORT: true },
    });
    expect(parseEnv({ ENABLE_AUTH: "Off", ENABLE_EXPORT: "0" })).toMatchObject({
      ok: true,
      env: { ENABLE_AUTH: false, ENABLE_EXPORT: false },
    });
  });

  it("requires a session secret whenever auth is on (sessions must survive restarts and agree across replicas)", () => {
    expect(parseEnv({ NODE_ENV: "production" }).ok).toBe(true);
    expect(parseEnv({ NODE_ENV: "development", ENABLE_AUTH: "true" }).ok).toBe(false);
    expect(parseEnv({ NODE_ENV: "test", ENABLE_AUTH: "true", SESSION_SECRET: "x".repeat(32) }).ok).toBe(true);
  });

  it("takes single sign-on whole or not at all, only with accounts on, over https", () => {
    const auth = { ENABLE_AUTH: "true", SESSION_SECRET: "x".repeat(32) };
    const sso = {
      ...auth,
      OIDC_ISSUER: "https://id.example.com/realms/team",
      OIDC_CLIENT_ID: "prompt-builder",
      OIDC_CLIENT_SECRET: "s3cret",
      OIDC_ALLOWED_DOMAINS: "Example.com, @example.org",
    };
    expect(parseEnv(sso)).toMatchObject({
      ok: true,
      env: {
        OIDC_ISSUER: "https://id.example.com/realms/team",
        OIDC_ALLOWED_DOMAINS: ["example.com", "example.org"],
        OIDC_DEFAULT_ROLE: "viewer",
        OIDC_DISPLAY_NAME: "single sign-on",
      },
    });
    expect(parseEnv({ ...sso, OIDC_DEFAULT_ROLE: "Editor", OIDC_DISPLAY_NAME: "Okta" })).toMatchObject({
      env: { OIDC_DEFAULT_ROLE: "editor", OIDC_DISPLAY_NAME: "Okta" },
    });
    const partial = parseEnv({ ...auth, OIDC_ISSUER: "https://id.example.com", OIDC_CLIENT_ID: "pb" });
    expect(partial).toEqual({
      ok: false,
      message:
        "Invalid configuration: OIDC_CLIENT_SECRET: is required for single sign-on (set all of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ALLOWED_DOMAINS, or none; OIDC_ISSUER, OIDC_CLIENT_ID are set); OIDC_ALLOWED_DOMAINS: is required for single sign-on (set all of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ALLOWED_DOMAINS, or none; OIDC_ISSUER, OIDC_CLIENT_ID are set)",
    });
    expect(parseEnv({ ...sso, ENABLE_AUTH: "false" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("OIDC_ISSUER: single sign-on needs ENABLE_AUTH=true"),
    });
    expect(parseEnv({ ...sso, OIDC_ISSUER: "http://id.example.com" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("OIDC_ISSUER: must be https (http only for localhost)"),
    });
    expect(parseEnv({ ...sso, OIDC_ISSUER: "http://127.0.0.1:9000" }).ok).toBe(true);
    expect(parseEnv({ ...sso, OIDC_ALLOWED_DOMAINS: "*" }).ok).toBe(true);
    expect(parseEnv({ ...sso, OIDC_ALLOWED_DOMAINS: "exa mple" })).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'OIDC_ALLOWED_DOMAINS: expected e-mail domains like example.com, or *; got "exa mple"',
      ),
    });
    expect(parseEnv({ ...sso, OIDC_DEFAULT_ROLE: "admin" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("OIDC_DEFAULT_ROLE: expected viewer or editor"),
    });
  });

  it("reads the sign-up mode and session lifetimes", () => {
    expect(parseEnv({})).toMatchObject({
      env: { SIGNUP: "invite", SESSION_IDLE_MINUTES: 10080, SESSION_MAX_DAYS: 30 },
    });
    expect(parseEnv({ SIGNUP: "Open", SESSION_IDLE_MINUTES: "60", SESSION_MAX_DAYS: "2" })).toMatchObject({
      env: { SIGNUP: "open", SESSION_IDLE_MINUTES: 60, SESSION_MAX_DAYS: 2 },
    });
    expect(parseEnv({ SIGNUP: "anyone" })).toMatchObject({ ok: false, message: expect.stringContaining("SIGNUP") });
    expect(parseEnv({ SESSION_IDLE_MINUTES: "1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("SESSION_IDLE_MINUTES"),
    });
  });
});

describe("request bounds and rate limits (issue 10)", () => {
  it("has defaults for every bound", () => {
    const result = parseEnv({});
    expect(result).toMatchObject({
      ok: true,
      env: {
        BODY_LIMIT_FORM_BYTES: 8 * 1024 * 1024,
        BODY_LIMIT_JSON_BYTES: 2 * 1024 * 1024,
        BODY_LIMIT_DEFAULT_BYTES: 1024 * 1024,
        HTTP_HEADERS_TIMEOUT_MS: 10_000,
        HTTP_REQUEST_TIMEOUT_MS: 30_000,
        HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
        HTTP_MAX_REQUESTS_PER_SOCKET: 1000,
        RATE_LIMIT_RENDER_PER_MINUTE: 600,
        RATE_LIMIT_WRITES_PER_MINUTE: 120,
        RATE_LIMIT_SAVES_PER_MINUTE: 30,
        TRUST_PROXY: 0,
      },
    });
  });

  it("reads each value, 0 switching a rate limit off", () => {
    const result = parseEnv({
      BODY_LIMIT_FORM_BYTES: "2048",
      RATE_LIMIT_SAVES_PER_MINUTE: "0",
      TRUST_PROXY: "true",
      HTTP_HEADERS_TIMEOUT_MS: "1000",
      HTTP_REQUEST_TIMEOUT_MS: "2000",
    });
    expect(result).toMatchObject({
      ok: true,
      env: { BODY_LIMIT_FORM_BYTES: 2048, RATE_LIMIT_SAVES_PER_MINUTE: 0, TRUST_PROXY: 1 },
    });
    expect(parseEnv({ TRUST_PROXY: "2" })).toMatchObject({ ok: true, env: { TRUST_PROXY: 2 } });
    expect(parseEnv({ TRUST_PROXY: "off" })).toMatchObject({ ok: true, env: { TRUST_PROXY: 0 } });
  });

  it.each([
    [{ BODY_LIMIT_FORM_BYTES: "10" }, 'BODY_LIMIT_FORM_BYTES: expected bytes from 1024 to 67108864, got "10"'],
    [{ BODY_LIMIT_JSON_BYTES: "1e6" }, "BODY_LIMIT_JSON_BYTES: expected bytes"],
    [{ BODY_LIMIT_DEFAULT_BYTES: "999999999" }, "BODY_LIMIT_DEFAULT_BYTES: expected bytes"],
    [{ RATE_LIMIT_RENDER_PER_MINUTE: "-1" }, "RATE_LIMIT_RENDER_PER_MINUTE: expected requests per minute"],
    [{ RATE_LIMIT_WRITES_PER_MINUTE: "lots" }, "RATE_LIMIT_WRITES_PER_MINUTE: expected requests per minute"],
    [{ HTTP_MAX_REQUESTS_PER_SOCKET: "1.5" }, "HTTP_MAX_REQUESTS_PER_SOCKET: expected requests"],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: "10" }, "HTTP_KEEP_ALIVE_TIMEOUT_MS: expected milliseconds"],
    [
      { HTTP_HEADERS_TIMEOUT_MS: "20000", HTTP_REQUEST_TIMEOUT_MS: "10000" },
      "HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (10000)",
    ],
    [{ TRUST_PROXY: "everyone" }, "TRUST_PROXY: expected false, true or a number of proxies from 0 to 10"],
    [
      { IMPORT_MAX_BYTES: "4194304" },
      "IMPORT_MAX_BYTES: must not exceed BODY_LIMIT_JSON_BYTES (2097152), which refuses a larger body first",
    ],
    [{ EXPORT_MAX_VERSIONS: "0" }, "EXPORT_MAX_VERSIONS: expected versions from 1 to 10000000"],
  ])("rejects %j", (raw, expected) => {
    const result = parseEnv(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(expected);
  });
});

describe("provider keys and playground budgets (issue 14)", () => {
  const ok = (raw: Record<string, string>) => {
    const r = parseEnv(raw);
    if (!r.ok) throw new Error(r.message);
    return r.env;
  };
  it("has no secret and no limits by default", () => {
    const env = ok({});
    expect(env.PROVIDER_KEY_SECRET).toEqual([]);
    expect(env.PLAYGROUND_MAX_INPUT_TOKENS).toBe(0);
    expect(env.PLAYGROUND_MAX_OUTPUT_TOKENS).toBe(0);
    expect(env.PLAYGROUND_MONTHLY_BUDGET_USD).toBeUndefined();
    expect(env.PLAYGROUND_USER_MONTHLY_BUDGET_USD).toBeUndefined();
  });
  it("reads a list of provider key secrets (the first encrypts) and refuses short ones", () => {
    const a = "a".repeat(32);
    const b = "b".repeat(40);
    expect(ok({ PROVIDER_KEY_SECRET: ` ${a} , ${b} ` }).PROVIDER_KEY_SECRET).toEqual([a, b]);
    const bad = parseEnv({ PROVIDER_KEY_SECRET: `${a},short` });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain("PROVIDER_KEY_SECRET: each secret must be at least 32 characters");
  });
  it("reads token limits and dollar budgets, and names a bad value", () => {
    const env = ok({
      PLAYGROUND_MAX_INPUT_TOKENS: "8000",
      PLAYGROUND_MAX_OUTPUT_TOKENS: "1024",
      PLAYGROUND_MONTHLY_BUDGET_USD: "250",
      PLAYGROUND_USER_MONTHLY_BUDGET_USD: "12.50",
    });
    expect([env.PLAYGROUND_MAX_INPUT_TOKENS, env.PLAYGROUND_MAX_OUTPUT_TOKENS]).toEqual([8000, 1024]);
    expect([env.PLAYGROUND_MONTHLY_BUDGET_USD, env.PLAYGROUND_USER_MONTHLY_BUDGET_USD]).toEqual([250, 12.5]);
    for (const [name, value] of [
      ["PLAYGROUND_MONTHLY_BUDGET_USD", "-1"],
      ["PLAYGROUND_MONTHLY_BUDGET_USD", "1e3"],
      ["PLAYGROUND_USER_MONTHLY_BUDGET_USD", "ten"],
      ["PLAYGROUND_MAX_INPUT_TOKENS", "1.5"],
    ]) {
      const r = parseEnv({ [name!]: value! });
      expect(r.ok, `${name}=${value}`).toBe(false);
      if (!r.ok) expect(r.message).toContain(name);
    }
  });
});
