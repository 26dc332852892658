/**
 * Which account a single sign-on (OpenID Connect) identity logs into (docs/security.md, "Single
 * sign-on"; decision 101):
 * 1. Every sign-on needs an e-mail in an allowed domain (OIDC_ALLOWED_DOMAINS; `*` allows any).
 * 2. An identity seen before (same issuer and subject) logs into the account it is linked to.
 * 3. Otherwise the provider must say the e-mail is verified (`email_verified: true`). Then it is
 *    linked to the account with that e-mail if there is one (a password account keeps its password),
 *    or a new account is made with OIDC_DEFAULT_ROLE (admin when it is the instance's first account).
 * A deactivated account is refused on every path.
 */
import type { Db } from "~/server/db.server";
import { ForbiddenError } from "~/prompt/errors";
import type { Role } from "~/server/auth/roles";

export type OidcIdentityClaims = {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
};

export type OidcPolicy = { allowedDomains: readonly string[]; defaultRole: Role; ip: string };

export function domainAllowed(email: string, allowed: readonly string[]): boolean {
  const at = email.lastIndexOf("@");
  if (at <= 0) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return allowed.includes("*") || allowed.includes(domain);
}

const DEACTIVATED = "This account is deactivated; ask an admin to activate it.";

/** The active account this identity signs into (made or linked on first sign-on); ForbiddenError otherwise. */
export async function signInWithOidc(db: Db, claims: OidcIdentityClaims, policy: OidcPolicy) {
  const email = claims.email;
  if (!email) throw new ForbiddenError("The provider did not give an e-mail address for this identity.", "email");
  if (!domainAllowed(email, policy.allowedDomains))
    throw new ForbiddenError(
      `Sign-in with ${email} is not allowed here: its domain is not one of this instance's (${policy.allowedDomains.join(", ")}).`,
      "email",
    );
  const where = { issuer_subject: { issuer: claims.issuer, subject: claims.subject } };
  const known = await db.oidcIdentity.findUnique({ where, include: { user: true } });
  if (known) {
    if (!known.user.active) throw new ForbiddenError(DEACTIVATED, "email");
    await db.oidcIdentity.update({ where: { id: known.id }, data: { email, lastLoginAt: new Date() } });
    return known.user;
  }
  if (!claims.emailVerified)
    throw new ForbiddenError(
      `The provider has not verified ${email}; an unverified e-mail cannot sign in or be linked to an account.`,
      "email",
    );
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing && !existing.active) throw new ForbiddenError(DEACTIVATED, "email");
    let user = existing;
    if (!user) {
      const role: Role = (await tx.user.count()) === 0 ? "admin" : policy.defaultRole;
      const name = claims.name || email.slice(0, email.indexOf("@"));
      user = await tx.user.create({ data: { email, name, role, passwordHash: null } });
      await tx.auditEntry.create({
        data: { actorId: user.id, action: "user.sign-up-sso", target: email, detail: `role=${role}`, ip: policy.ip },
      });
    } else {
      await tx.auditEntry.create({
        data: { actorId: user.id, action: "user.link-sso", target: email, detail: claims.issuer, ip: policy.ip },
      });
    }
    await tx.oidcIdentity.create({
      data: { issuer: claims.issuer, subject: claims.subject, userId: user.id, email },
    });
    return user;
  });
}
