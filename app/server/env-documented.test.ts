/**
 * Every setting the app reads is documented in the README's configuration tables, and every
 * setting those tables name is one the app reads (or one its tooling or image reads, listed here):
 * a documented variable that nothing reads would be a setting that does nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "./env.server";

/**
 * Read outside env.server.ts: by the runtime (Node, glibc), the tests, the image and manifests, or
 * the git-sync client (scripts/cli/prompt-builder.ts, which runs elsewhere and talks to the app over HTTP).
 */
const READ_ELSEWHERE = new Set([
  "NODE_OPTIONS",
  "MALLOC_ARENA_MAX",
  "TEST_DATABASE_URL_POSTGRES",
  "PROMPT_BUILDER_URL",
  "PROMPT_BUILDER_TOKEN",
]);

const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
/** The variables the schema reads (its object, before the final transform). */
const read = Object.keys(("in" in envSchema ? envSchema.in : envSchema).shape);
const documented = new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

describe("configuration is documented", () => {
  it("names every variable the app validates in the README", () => {
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("documents no variable that nothing reads", () => {
    expect([...documented].filter((name) => !read.includes(name) && !READ_ELSEWHERE.has(name))).toEqual([]);
  });
});
