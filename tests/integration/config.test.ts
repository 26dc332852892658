import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";
import { REMIX_SERVE } from "../support/server";

function runWith(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("configuration errors stop the process with one clear line", () => {
  it.each([
    [{ PORT: "abc" }, 'Invalid configuration: PORT: expected a port number from 1 to 65535, got "abc"'],
    [
      { DATABASE_URL: "mysql://db/x" },
      "Invalid configuration: DATABASE_URL: must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
    ],
    [
      { ENABLE_AUTH: "true", SESSION_SECRET: "" },
      "Invalid configuration: SESSION_SECRET: is required when ENABLE_AUTH is true (one or more secrets, comma-separated; the first signs)",
    ],
  ])("remix-serve with %j", (env, line) => {
    const result = runWith([REMIX_SERVE, "build/index.js"], { METRICS_PORT: "19464", ...env });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr.trim()).toBe(line);
  });

  it("the migration command refuses a bad DATABASE_URL the same way", () => {
    const result = runWith([path.join("build", "cli", "migrate.js")], { DATABASE_URL: "sqlite:nope" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Invalid configuration: DATABASE_URL: /);
  });
});
