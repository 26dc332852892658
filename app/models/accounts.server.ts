/**
 * Accounts (ENABLE_AUTH=true): the first account becomes admin; later ones sign up by an admin's
 * invitation link (or freely with SIGNUP=open). One-time links (invitation, password reset) are
 * stored as the sha256 of their secret and are used once. Unknown e-mail and wrong password get
 * the same answer after the same work (verifyPassword hashes a dummy).
 */
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { ForbiddenError, InvalidError, NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { hashPassword, passwordProblem, verifyPassword } from "~/server/auth/password.server";
import { isRole, ROLES, type Role } from "~/server/auth/roles";
import { randomSecret, sha256 } from "~/server/auth/secrets.server";

export const LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const LOGIN_FAILED = "The e-mail or password is not right.";

const emailSchema = z.string().trim().toLowerCase().min(3, "is required").max(200).email("is not an e-mail address");
const nameSchema = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");
const passwordField = z.string().max(1000);

const signUpSchema = z.object({ email: emailSchema, name: nameSchema, password: passwordField });

function checkNewPassword(password: string, email: string, field = "password") {
  const problem = passwordProblem(password, { email });
  if (problem) throw InvalidError.field(field, `Password ${problem}.`);
}

export type AuditContext = { actorId: string | null; ip: string };

export async function audit(db: Db, ctx: AuditContext, action: string, target = "", detail = "") {
  await db.auditEntry.create({ data: { actorId: ctx.actorId, action, target, detail, ip: ctx.ip } });
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

/** The first account of an instance: only while there is none, and it is an admin. */
export async function createFirstAdmin(db: Db, input: unknown, ctx: Omit<AuditContext, "actorId">) {
  const { email, name, password } = parseInput(signUpSchema, input);
  checkNewPassword(password, email);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0)
      throw new ForbiddenError("This instance already has an admin; ask them for an invitation.", "email");
    const user = await tx.user.create({ data: { email, name, role: "admin", passwordHash } });
    await tx.auditEntry.create({
      data: { actorId: user.id, action: "user.create-first-admin", target: email, ip: ctx.ip },
    });
    return user;
  });
}

function linkExpired(link: { expiresAt: Date; usedAt: Date | null }, now = new Date()) {
  return link.usedAt !== null || link.expiresAt.getTime() <= now.getTime();
}

/** A link by its secret when it is of `kind` and still usable; else null. */
export async function findLink(db: Db, secret: string, kind: "invite" | "reset") {
  if (!secret || secret.length > 200) return null;
  const link = await db.accountLink.findUnique({ where: { tokenHash: sha256(secret) } });
  if (!link || link.kind !== kind || linkExpired(link)) return null;
  return link;
}

const LINK_GONE =
  "This link is not valid: it was used already, has expired, or never existed. Ask an admin for a new one.";

/** Sign-up: by invitation (the link's role), or — with SIGNUP=open and no link — as a viewer. */
export async function signUp(db: Db, input: unknown, args: { invite: string | null; open: boolean; ip: string }) {
  const { email, name, password } = parseInput(signUpSchema, input);
  checkNewPassword(password, email);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    let role: Role = "viewer";
    let createdBy: string | null = null;
    if (args.invite) {
      const link = await tx.accountLink.findUnique({ where: { tokenHash: sha256(args.invite) } });
      if (!link || link.kind !== "invite" || linkExpired(link)) throw InvalidError.field("invite", LINK_GONE);
      // Claim the link first: two sign-ups racing for one link cannot both succeed.
      const claimed = await tx.accountLink.updateMany({
        where: { id: link.id, usedAt: null },
        data: { usedAt: new Date() },
      });
      if (claimed.count !== 1) throw InvalidError.field("invite", LINK_GONE);
      role = isRole(link.role) ? link.role : "viewer";
      createdBy = link.createdById;
    } else if (!args.open) {
      throw new ForbiddenError("Sign-up is by invitation: ask an admin for a link.", "invite");
    }
    if (await tx.user.findUnique({ where: { email } }))
      throw InvalidError.field("email", "An account with this e-mail exists already; log in instead.");
    const user = await tx.user.create({ data: { email, name, role, passwordHash } });
    await tx.auditEntry.create({
      data: {
        actorId: user.id,
        action: "user.sign-up",
        target: email,
        detail: `role=${role} invitedBy=${createdBy ?? ""}`,
        ip: args.ip,
      },
    });
    return user;
  });
}

/** The account a login form names: its e-mail trimmed and lower-cased ("" when absent). */
export function loginEmail(email: unknown): string {
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 200) : "";
}

/** The user for a right e-mail and password; null otherwise (same work either way). */
export async function verifyLogin(db: Db, email: unknown, password: unknown) {
  const e = loginEmail(email);
  const p = typeof password === "string" ? password.slice(0, 1000) : "";
  const user = e ? await db.user.findUnique({ where: { email: e } }) : null;
  const ok = await verifyPassword(p, user?.active ? user.passwordHash : null);
  return ok && user?.active ? user : null;
}

export async function changePassword(
  db: Db,
  userId: string,
  input: { current: unknown; next: unknown },
  ctx: AuditContext,
) {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw InvalidError.field("user", "No such account.", { malformed: true });
  const current = typeof input.current === "string" ? input.current : "";
  const next = typeof input.next === "string" ? input.next : "";
  if (!(await verifyPassword(current, user.passwordHash)))
    throw InvalidError.field("current", "The current password is not right.");
  checkNewPassword(next, user.email, "next");
  const passwordHash = await hashPassword(next);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.auditEntry.create({
      data: { actorId: ctx.actorId, action: "user.change-password", target: user.email, ip: ctx.ip },
    }),
  ]);
}

/** An admin's one-time link: an invitation with a role, or a password reset for one user. */
export async function createLink(
  db: Db,
  args: { kind: "invite"; role: unknown } | { kind: "reset"; userId: string },
  ctx: AuditContext,
): Promise<string> {
  const secret = randomSecret();
  let role: Role = "viewer";
  let userId: string | null = null;
  if (args.kind === "invite") {
    if (!isRole(args.role))
      throw InvalidError.field("role", `Role must be one of ${ROLES.join(", ")}.`, { malformed: true });
    role = args.role;
  } else {
    const user = await db.user.findUnique({ where: { id: args.userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    userId = user.id;
  }
  await db.$transaction([
    db.accountLink.create({
      data: {
        tokenHash: sha256(secret),
        kind: args.kind,
        role,
        userId,
        createdById: ctx.actorId,
        expiresAt: new Date(Date.now() + LINK_LIFETIME_MS),
      },
    }),
    db.auditEntry.create({
      data: {
        actorId: ctx.actorId,
        action: `link.create-${args.kind}`,
        target: userId ?? "",
        detail: `role=${role}`,
        ip: ctx.ip,
      },
    }),
  ]);
  return secret;
}

/** Sets a new password through a reset link (once); every session of the user ends. */
export async function resetPassword(db: Db, secret: string, password: unknown, ip: string) {
  const next = typeof password === "string" ? password : "";
  const link = await findLink(db, secret, "reset");
  if (!link?.userId) throw InvalidError.field("token", LINK_GONE);
  const user = await db.user.findUnique({ where: { id: link.userId } });
  if (!user) throw InvalidError.field("token", LINK_GONE);
  checkNewPassword(next, user.email);
  const passwordHash = await hashPassword(next);
  return db.$transaction(async (tx) => {
    const claimed = await tx.accountLink.updateMany({
      where: { id: link.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) throw InvalidError.field("token", LINK_GONE);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.auditEntry.create({ data: { actorId: user.id, action: "user.reset-password", target: user.email, ip } });
    return user;
  });
}

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, active: true, createdAt: true },
  });
}

async function assertAnotherActiveAdmin(tx: Pick<Db, "user">, userId: string) {
  const others = await tx.user.count({ where: { role: "admin", active: true, NOT: { id: userId } } });
  if (others === 0) throw new ForbiddenError("The last active admin cannot be demoted or deactivated.", "userId");
}

export async function setRole(db: Db, userId: string, role: unknown, ctx: AuditContext) {
  if (!isRole(role)) throw InvalidError.field("role", `Role must be one of ${ROLES.join(", ")}.`, { malformed: true });
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    if (user.role === "admin" && role !== "admin") await assertAnotherActiveAdmin(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { role } });
    await tx.auditEntry.create({
      data: {
        actorId: ctx.actorId,
        action: "user.set-role",
        target: user.email,
        detail: `${user.role}→${role}`,
        ip: ctx.ip,
      },
    });
  });
}

/** Deactivates (ending every session; tokens stop too) or reactivates an account. */
export async function setActive(db: Db, userId: string, active: boolean, ctx: AuditContext) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    if (!active && user.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { active } });
    if (!active) await tx.session.deleteMany({ where: { userId } });
    await tx.auditEntry.create({
      data: {
        actorId: ctx.actorId,
        action: active ? "user.activate" : "user.deactivate",
        target: user.email,
        ip: ctx.ip,
      },
    });
  });
}

export async function listSessions(db: Db, userId?: string) {
  return db.session.findMany({
    where: userId ? { userId } : {},
    orderBy: { lastSeenAt: "desc" },
    take: 500,
    select: {
      id: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      ip: true,
      userAgent: true,
      user: { select: { email: true } },
    },
  });
}

/** Revokes one session (any, for an admin) or every session of a user ("log out everywhere"). */
export async function revokeSessions(db: Db, where: { id: string } | { userId: string }, ctx: AuditContext) {
  const { count } = await db.session.deleteMany({ where });
  await audit(
    db,
    ctx,
    "id" in where ? "session.revoke" : "session.revoke-all",
    "id" in where ? where.id : where.userId,
    `count=${count}`,
  );
  return count;
}

/** A user revokes one of their own sessions (another user's id is "not found", and changes nothing). */
export async function revokeOwnSession(db: Db, sessionId: string, userId: string, ctx: AuditContext) {
  const { count } = await db.session.deleteMany({ where: { id: sessionId, userId } });
  if (count === 0)
    throw new NotFoundError("session", sessionId, "No such session: it has ended already or is not yours.", "id");
  await audit(db, ctx, "session.revoke", sessionId, "own");
}

export async function recentAudit(db: Db, take = 50) {
  return db.auditEntry.findMany({ orderBy: { createdAt: "desc" }, take });
}
