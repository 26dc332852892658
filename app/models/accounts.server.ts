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
import { recordAudit, type Actor } from "./audit.server";

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

/** The actor a new account acts as in its own first events (sign-up, reset). */
function selfActor(user: { id: string; email: string; role: string }, address: string): Actor {
  return { id: user.id, role: isRole(user.role) ? user.role : "viewer", label: user.email, address };
}

function userTarget(user: { id: string; email: string }) {
  return { type: "user" as const, id: user.id, name: user.email };
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

/** The first account of an instance: only while there is none, and it is an admin. */
export async function createFirstAdmin(db: Db, input: unknown, ctx: { address: string }) {
  const { email, name, password } = parseInput(signUpSchema, input);
  checkNewPassword(password, email);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0)
      throw new ForbiddenError("This instance already has an admin; ask them for an invitation.", "email");
    const user = await tx.user.create({ data: { email, name, role: "admin", passwordHash } });
    await recordAudit(tx, selfActor(user, ctx.address), {
      action: "user.create-first-admin",
      target: userTarget(user),
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
export async function signUp(db: Db, input: unknown, args: { invite: string | null; open: boolean; address: string }) {
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
    await recordAudit(tx, selfActor(user, args.address), {
      action: "user.sign-up",
      target: userTarget(user),
      details: { role, invitedBy: createdBy, open: !args.invite },
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

export async function changePassword(db: Db, userId: string, input: { current: unknown; next: unknown }, actor: Actor) {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw InvalidError.field("user", "No such account.", { malformed: true });
  const current = typeof input.current === "string" ? input.current : "";
  const next = typeof input.next === "string" ? input.next : "";
  if (!(await verifyPassword(current, user.passwordHash)))
    throw InvalidError.field("current", "The current password is not right.");
  checkNewPassword(next, user.email, "next");
  const passwordHash = await hashPassword(next);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await recordAudit(tx, actor, { action: "user.password-change", target: userTarget(user) });
  });
}

/** An admin's one-time link: an invitation with a role, or a password reset for one user. */
export async function createLink(
  db: Db,
  args: { kind: "invite"; role: unknown } | { kind: "reset"; userId: string },
  actor: Actor,
): Promise<string> {
  const secret = randomSecret();
  let role: Role = "viewer";
  let userId: string | null = null;
  let email = "";
  if (args.kind === "invite") {
    if (!isRole(args.role))
      throw InvalidError.field("role", `Role must be one of ${ROLES.join(", ")}.`, { malformed: true });
    role = args.role;
  } else {
    const user = await db.user.findUnique({ where: { id: args.userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    userId = user.id;
    email = user.email;
  }
  await db.$transaction(async (tx) => {
    const link = await tx.accountLink.create({
      data: {
        tokenHash: sha256(secret),
        kind: args.kind,
        role,
        userId,
        createdById: actor.id,
        expiresAt: new Date(Date.now() + LINK_LIFETIME_MS),
      },
    });
    await recordAudit(
      tx,
      actor,
      args.kind === "invite"
        ? { action: "user.invite", target: { type: "user", id: link.id, name: "(invitation)" }, details: { role } }
        : { action: "user.reset-link", target: { type: "user", id: userId ?? "", name: email } },
    );
  });
  return secret;
}

/** Sets a new password through a reset link (once); every session of the user ends. */
export async function resetPassword(db: Db, secret: string, password: unknown, address: string) {
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
    await recordAudit(tx, selfActor(user, address), { action: "user.password-reset", target: userTarget(user) });
    return user;
  });
}

export async function listUsers(db: Db) {
  const [users, approvers] = await Promise.all([
    db.user.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, email: true, name: true, role: true, active: true, createdAt: true },
    }),
    db.labelApprover.findMany({ select: { userId: true } }),
  ]);
  const approverIds = new Set(approvers.map((a) => a.userId));
  return users.map((u) => ({ ...u, approver: approverIds.has(u.id) }));
}

async function assertAnotherActiveAdmin(tx: Pick<Db, "user">, userId: string) {
  const others = await tx.user.count({ where: { role: "admin", active: true, NOT: { id: userId } } });
  if (others === 0) throw new ForbiddenError("The last active admin cannot be demoted or deactivated.", "userId");
}

export async function setRole(db: Db, userId: string, role: unknown, actor: Actor) {
  if (!isRole(role)) throw InvalidError.field("role", `Role must be one of ${ROLES.join(", ")}.`, { malformed: true });
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    if (user.role === "admin" && role !== "admin") await assertAnotherActiveAdmin(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, actor, {
      action: "user.role",
      target: userTarget(user),
      details: { from: user.role, to: role },
    });
  });
}

/** Deactivates (ending every session; tokens stop too) or reactivates an account. */
export async function setActive(db: Db, userId: string, active: boolean, actor: Actor) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    if (!active && user.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { active } });
    if (!active) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, actor, { action: active ? "user.activate" : "user.deactivate", target: userTarget(user) });
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
export async function revokeSessions(db: Db, where: { id: string } | { userId: string }, actor: Actor) {
  return db.$transaction(async (tx) => {
    const owner =
      "id" in where
        ? (await tx.session.findUnique({ where: { id: where.id }, select: { user: { select: { email: true } } } }))
            ?.user
        : await tx.user.findUnique({ where: { id: where.userId }, select: { email: true } });
    const { count } = await tx.session.deleteMany({ where });
    await recordAudit(tx, actor, {
      action: "id" in where ? "session.revoke" : "session.revoke-all",
      target: {
        type: "id" in where ? "session" : "user",
        id: "id" in where ? where.id : where.userId,
        name: owner?.email,
      },
      details: { count },
    });
    return count;
  });
}

/** A user revokes one of their own sessions (another user's id is "not found", and changes nothing). */
export async function revokeOwnSession(db: Db, sessionId: string, userId: string, actor: Actor) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: sessionId, userId } });
    if (count === 0)
      throw new NotFoundError("session", sessionId, "No such session: it has ended already or is not yours.", "id");
    await recordAudit(tx, actor, {
      action: "session.revoke",
      target: { type: "session", id: sessionId, name: actor.label },
      details: { own: true },
    });
  });
}

/** Lets a user approve change requests of protected labels (admins always may), or stops it. */
export async function setApprover(db: Db, userId: string, approver: boolean, actor: Actor) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw InvalidError.field("userId", "No such account.", { malformed: true });
    const current = !!(await tx.labelApprover.findUnique({ where: { userId } }));
    if (current === approver) return;
    if (approver) await tx.labelApprover.create({ data: { userId, grantedById: actor.id } });
    else await tx.labelApprover.delete({ where: { userId } });
    await recordAudit(tx, actor, { action: "user.approver", target: userTarget(user), details: { approver } });
  });
}

/** Records a login (the session row itself is written by session.server.ts). */
export async function recordLogin(db: Db, user: { id: string; email: string; role: string }, address: string) {
  await db.$transaction((tx) =>
    recordAudit(tx, selfActor(user, address), { action: "session.login", target: userTarget(user) }),
  );
}
