/**
 * Labels (`production`, `staging`, custom) point at one version of a prompt. Every move is
 * recorded (who, when, from which version to which). A protected label moves only by an admin when
 * accounts are on; with accounts off anyone may move it (the UI still shows the lock).
 */
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { ForbiddenError, InvalidError, NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { assertServable } from "./servable.server";
import { gatePassingRun } from "./evals.server";

export { STANDARD_LABELS } from "~/library/constants";

export const labelNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must use lower-case letters, digits, - and _ and start with a letter or digit");

export type Actor = { id: string | null; role: "admin" | "editor" | "viewer" };

/** Who acts when accounts are off: nobody in particular, allowed to do everything. */
export const LOCAL_ACTOR: Actor = { id: null, role: "admin" };

function mayMoveProtected(actor: Actor | null, authEnabled: boolean): boolean {
  if (!authEnabled) return true;
  return actor?.role === "admin";
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
    const prompt = await tx.prompt.findUnique({ where: { id: args.promptId }, select: { deletedAt: true } });
    if (!prompt || prompt.deletedAt) throw NotFoundError.prompt(args.promptId, "promptId");

    const existing = await tx.label.findUnique({
      where: { promptId_name: { promptId: args.promptId, name } },
      select: { id: true, versionId: true, protected: true, version: { select: { number: true } } },
    });
    const willBeProtected = args.protect ?? existing?.protected ?? false;
    if ((existing?.protected || willBeProtected) && !mayMoveProtected(args.actor, args.authEnabled)) {
      throw new ForbiddenError(`"${name}" is protected: only an admin can move it.`, nameField);
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
  const updated = await db.label.updateMany({
    where: { promptId: args.promptId, name: args.name },
    data: { protected: args.protected },
  });
  if (updated.count !== 1) throw NotFoundError.label(args.name, "name");
}

/** The version a label points at, or null. */
export async function labelledVersion(db: Db, promptId: string, name: string): Promise<number | null> {
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId, name } },
    select: { version: { select: { number: true } } },
  });
  return label?.version.number ?? null;
}
