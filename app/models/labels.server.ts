/**
 * Labels (`production`, `staging`, custom) point at one version of a prompt. Every move is
 * recorded (who, when, from which version to which). A protected label moves only by an admin when
 * accounts are on; with accounts off anyone may move it (the UI still shows the lock).
 */
import { z } from "zod";
import type { Db, Prisma } from "~/server/db.server";
import { ForbiddenError, InvalidError, NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import type { Actor } from "~/server/auth/actor";
import { recordAudit } from "./audit.server";
import { assertServable } from "./servable.server";
import { gatePassingRun } from "./evals.server";

export { STANDARD_LABELS } from "~/library/constants";

export const labelNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must use lower-case letters, digits, - and _ and start with a letter or digit");

export { LOCAL_ACTOR, type Actor } from "~/server/auth/actor";

type Tx = Prisma.TransactionClient;

/**
 * Who moves (or protects) a protected label directly: with accounts on, an admin in the browser —
 * never through an API token, whoever owns it (a token proposes a change request instead).
 */
export function mayMoveProtected(actor: Actor | null, authEnabled: boolean): boolean {
  if (!authEnabled) return true;
  return actor?.role === "admin" && !actor.tokenId;
}

function promptName(prompt: { name: string; slug: string }): string {
  return prompt.name || prompt.slug;
}

/**
 * Points label `name` of the prompt at a version — by number, or by id (which must belong to this
 * prompt). Creates the label when it does not exist. Returns the label and whether it moved.
 */
export async function moveLabel(
  db: Db,
  args: {
    promptId: string;
    name: string;
    version?: number;
    versionId?: string;
    actor: Actor | null;
    authEnabled: boolean;
    protect?: boolean;
    /** The form field the label name came from, for the issues that name it. */
    nameField?: string;
    /**
     * An approved change request (label-change-requests.server.ts): the move is the approver's, allowed
     * for a protected label because `actor` may approve; recorded with the request's id.
     */
    changeRequestId?: string;
    /** Runs in the move's transaction after the move (the request's status change, say). */
    afterMove?: (tx: Tx, move: { from: number | null; to: number }) => Promise<void>;
  },
) {
  const nameField = args.nameField ?? "name";
  const name = parseInput(labelNameSchema, args.name, { path: [nameField], labels: { [nameField]: "Label name" } });
  // Rendering runs in the pool, before the transaction: a label may point only at a version that
  // renders. The version is immutable, so the check still holds when the transaction runs.
  const target = args.versionId
    ? await db.promptVersion.findUnique({
        where: { id: args.versionId },
        select: { id: true, number: true, promptId: true },
      })
    : args.version !== undefined && Number.isInteger(args.version) && args.version > 0
      ? await db.promptVersion.findUnique({
          where: { promptId_number: { promptId: args.promptId, number: args.version } },
          select: { id: true, number: true, promptId: true },
        })
      : null;
  // A gated label moves only to a version that passed its suite (decision 116); the passing run
  // is recorded with the move. Runs only ever finish, so the check still holds in the transaction.
  let evalRunId: string | null = null;
  if (target && target.promptId === args.promptId) {
    const current = await db.label.findUnique({
      where: { promptId_name: { promptId: args.promptId, name } },
      select: { versionId: true },
    });
    if (current?.versionId !== target.id) {
      const check = {
        versionId: target.id,
        number: target.number,
        label: name,
        field: args.versionId ? "versionId" : "version",
      };
      await assertServable(db, check);
      evalRunId = await gatePassingRun(db, { promptId: args.promptId, ...check });
    }
  }
  return db.$transaction(async (tx) => {
    let version: { id: string; number: number; promptId: string } | null = null;
    if (args.versionId) {
      version = await tx.promptVersion.findUnique({
        where: { id: args.versionId },
        select: { id: true, number: true, promptId: true },
      });
      if (version && version.promptId !== args.promptId) {
        throw InvalidError.field(
          "versionId",
          "That version belongs to another prompt; a label can only point at a version of its own prompt.",
        );
      }
    } else if (args.version !== undefined) {
      version = await tx.promptVersion.findUnique({
        where: { promptId_number: { promptId: args.promptId, number: args.version } },
        select: { id: true, number: true, promptId: true },
      });
    }
    if (!version)
      throw InvalidError.field(
        args.versionId ? "versionId" : "version",
        "That version does not exist for this prompt.",
      );
    const prompt = await tx.prompt.findUnique({
      where: { id: args.promptId },
      select: { deletedAt: true, name: true, slug: true },
    });
    if (!prompt || prompt.deletedAt) throw NotFoundError.prompt(args.promptId, "promptId");

    const existing = await tx.label.findUnique({
      where: { promptId_name: { promptId: args.promptId, name } },
      select: { id: true, versionId: true, protected: true, version: { select: { number: true } } },
    });
    const willBeProtected = args.protect ?? existing?.protected ?? false;
    const approved = args.changeRequestId !== undefined && args.protect === undefined;
    if ((existing?.protected || willBeProtected) && !approved && !mayMoveProtected(args.actor, args.authEnabled)) {
      throw new ForbiddenError(`"${name}" is protected: only an admin can move it.`, nameField);
    }
    const auditTarget = {
      type: "label" as const,
      id: `${args.promptId}:${name}`,
      name: `${promptName(prompt)} · ${name}`,
    };
    if (existing && args.protect !== undefined && args.protect !== existing.protected) {
      await recordAudit(tx, args.actor, {
        action: args.protect ? "label.protect" : "label.unprotect",
        target: auditTarget,
      });
    }
    if (existing && existing.versionId === version.id) {
      if (args.protect !== undefined && args.protect !== existing.protected) {
        await tx.label.update({ where: { id: existing.id }, data: { protected: args.protect } });
      }
      return { labelId: existing.id, moved: false, from: existing.version.number, to: version.number };
    }
    const label = existing
      ? await tx.label.update({
          where: { id: existing.id },
          data: { versionId: version.id, ...(args.protect !== undefined ? { protected: args.protect } : {}) },
        })
      : await tx.label.create({
          data: { promptId: args.promptId, name, versionId: version.id, protected: willBeProtected },
        });
    await tx.labelEvent.create({
      data: {
        labelId: label.id,
        fromVersionId: existing?.versionId ?? null,
        toVersionId: version.id,
        fromNumber: existing?.version.number ?? null,
        toNumber: version.number,
        actorId: args.actor?.id ?? null,
        evalRunId,
      },
    });
    await recordAudit(tx, args.actor, {
      action: "label.move",
      target: auditTarget,
      details: {
        from: existing?.version.number ?? null,
        to: version.number,
        ...(args.changeRequestId ? { changeRequest: args.changeRequestId } : {}),
        ...(!existing && willBeProtected ? { protected: true } : {}),
      },
    });
    // Open change requests for this label are moot once it moved some other way.
    const moot = await tx.labelChangeRequest.findMany({
      where: {
        promptId: args.promptId,
        labelName: name,
        status: "open",
        ...(args.changeRequestId ? { id: { not: args.changeRequestId } } : {}),
      },
      select: { id: true, toNumber: true },
    });
    for (const request of moot) {
      await tx.labelChangeRequest.update({
        where: { id: request.id },
        data: { status: "superseded", decidedAt: new Date(), decidedById: args.actor?.id ?? null },
      });
      await recordAudit(tx, args.actor, {
        action: "changeRequest.supersede",
        target: { type: "changeRequest", id: request.id, name: `${auditTarget.name} → v${request.toNumber}` },
        details: { labelMovedTo: version.number },
      });
    }
    if (args.afterMove) await args.afterMove(tx, { from: existing?.version.number ?? null, to: version.number });
    return { labelId: label.id, moved: true, from: existing?.version.number ?? null, to: version.number };
  });
}

/** Protects or unprotects a label; with accounts on, only an admin may. */
export async function setLabelProtection(
  db: Db,
  args: { promptId: string; name: string; protected: boolean; actor: Actor | null; authEnabled: boolean },
) {
  if (!mayMoveProtected(args.actor, args.authEnabled))
    throw new ForbiddenError("Only an admin can protect or unprotect a label.", "protected");
  await db.$transaction(async (tx) => {
    const label = await tx.label.findFirst({
      where: { promptId: args.promptId, name: args.name },
      select: { id: true, protected: true, prompt: { select: { name: true, slug: true } } },
    });
    if (!label) throw NotFoundError.label(args.name, "name");
    if (label.protected === args.protected) return;
    await tx.label.update({ where: { id: label.id }, data: { protected: args.protected } });
    await recordAudit(tx, args.actor, {
      action: args.protected ? "label.protect" : "label.unprotect",
      target: {
        type: "label",
        id: `${args.promptId}:${args.name}`,
        name: `${promptName(label.prompt)} · ${args.name}`,
      },
    });
  });
}

/** The version a label points at, or null. */
export async function labelledVersion(db: Db, promptId: string, name: string): Promise<number | null> {
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId, name } },
    select: { version: { select: { number: true } } },
  });
  return label?.version.number ?? null;
}
