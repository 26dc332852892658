/**
 * Roles and token scopes. admin: everything (users, settings, protected labels); editor: create and
 * change prompts and snippets, move unprotected labels; viewer: read, preview, render.
 */
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ["read", "render", "write"] as const;
export type Scope = (typeof SCOPES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The least role a scope needs: a token never does more than its owner may. */
export const SCOPE_ROLE: Record<Scope, Role> = { read: "viewer", render: "viewer", write: "editor" };

export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
