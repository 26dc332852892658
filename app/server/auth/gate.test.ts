/**
 * Every loader and action in app/routes must pass the gate: call requireUser / requireApi (or a
 * helper built on them), or say it is public with publicRoute(). A new route that does neither
 * fails here, so no route can be forgotten. The routes that may be public are listed by name.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve(__dirname, "../../routes");
const GUARDS = ["requireUser(", "requireApi(", "requirePromptPage(", "requirePromptApi("];
const PUBLIC = new Set([
  "healthz.ts",
  "api.health.ts",
  "login.tsx",
  "signup.tsx",
  "password-reset.tsx",
  "resources.theme.ts",
  // Single sign-on: starting it and the provider's callback (404 unless OIDC_* is configured).
  "auth.oidc.ts",
  "auth.oidc_.callback.tsx",
]);

/** The body of `export (async) function name(…) {…}` by brace matching; null when not exported. */
export function exportedBody(source: string, name: string): string | null {
  const start = new RegExp(`export\\s+(async\\s+)?function\\s+${name}\\s*\\(`).exec(source);
  if (!start) {
    if (
      new RegExp(`export\\s+(const|let|var)\\s+${name}\\b`).test(source) ||
      new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`).test(source)
    )
      return ""; // exported some other way: treated as ungated, so it fails
    return null;
  }
  let i = source.indexOf("{", source.indexOf(")", start.index));
  const open = i;
  let depth = 0;
  for (; i < source.length; i++) {
    if (source[i] === "{") depth++;
    else if (source[i] === "}" && --depth === 0) return source.slice(open, i + 1);
  }
  return source.slice(open);
}

const files = fs.readdirSync(ROUTES).filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes(".test."));

describe("every route passes the gate", () => {
  it("finds the route modules", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)("%s", (file) => {
    const source = fs.readFileSync(path.join(ROUTES, file), "utf8");
    for (const name of ["loader", "action"]) {
      // `readOnly` (problem.server.ts) answers a constant 405 without reading the request or the database.
      if (name === "action" && /export\s+const\s+action\s*=\s*readOnly\s*;/.test(source)) continue;
      const body = exportedBody(source, name);
      if (body === null) continue;
      // The gate must come first: before the body is read or the database is touched.
      const firstStatement = body.slice(1).trim().split("\n")[0] ?? "";
      const gated = GUARDS.some((g) => firstStatement.includes(g));
      const isPublic = firstStatement.includes("publicRoute()");
      expect(gated || isPublic, `${file} ${name}: first statement must call a guard, got: ${firstStatement}`).toBe(
        true,
      );
      if (isPublic) expect(PUBLIC.has(file), `${file} is public but not in the list of public routes`).toBe(true);
    }
  });

  it("notices an ungated route", () => {
    const body = exportedBody("export async function loader() {\n  return db.all();\n}", "loader")!;
    expect(GUARDS.some((g) => body.includes(g))).toBe(false);
    expect(exportedBody("export const loader = () => 1;", "loader")).toBe("");
  });
});
