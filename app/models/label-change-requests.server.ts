/**
 * Change requests for protected labels (issue 12, docs/decisions/105-label-change-requests.md).
 *
 * An editor who may not move a protected label proposes "point `production` of this prompt at
 * v7". An admin or an approver (LabelApprover, set in /admin) other than the proposer approves —
 * which moves the label through `moveLabel`, so the renderability gate (and any other gate moveLabel
 * grows) applies, in one transaction with the status change and the audit events — or rejects it.
 * The proposer may withdraw it. Any other move of the label supersedes the open requests for it
 * (labels.server.ts). API tokens may propose (write scope) but never approve, reject or move a
 * protected label directly: whoever holds the token, a person decides in the browser.
 */
import { z } from "zod";
import type { Db } from "~/server/db.server";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "~/prompt/errors";
import { parseInput } from "~/prompt/zod-issues";
import { roleAtLeast } from "~/server/auth/roles";
import { recordAudit, type Actor } from "./audit.server";
import { labelNameSchema, mayMoveProtected, moveLabel } from "./labels.server";
import { assertServable } from "./servable.server";

export const CHANGE_REQUEST_STATUSES = ["open", "approved", "rejected", "withdrawn", "superseded"] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

const commentSchema = z.string().trim().max(2000, "must be at most 2000 characters");

function requestName(prompt: { name: string }, labelName: string, toNumber: number) {
  return `${prompt.name} · ${labelName} → v${toNumber}`;
}

/** Proposes pointing protected label `labelName` of the prompt at version `version`. */
export async function proposeLabelChange(
  db: Db,
  args: {
    promptId: string;
    labelName: unknown;
    version: number;
    comment?: unknown;
    actor: Actor;
    authEnabled: boolean;
    /** The form field the label name came from. */
    nameField?: string;
  },
) {
  const nameField = args.nameField ?? "labelName";
  const labelName = parseInput(labelNameSchema, args.labelName, {
    path: [nameField],
    labels: { [nameField]: "Label name" },
  });
  const comment = parseInput(commentSchema, args.comment ?? "", { path: ["comment"], labels: { comment: "Comment" } });
  if (!args.authEnabled)
    throw InvalidError.field(nameField, "Accounts are off (single-user mode): move the label directly.");
  if (!roleAtLeast(args.actor.role, "editor"))
    throw new ForbiddenError("Proposing a label change needs the editor role.", nameField);
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId: args.promptId, name: labelName } },
    select: { protected: true, versionId: true, version: { select: { number: true } } },
  });
  if (!label) throw NotFoundError.label(labelName, nameField);
  if (!label.protected)
    throw InvalidError.field(nameField, `"${labelName}" is not protected: move it directly, no request needed.`);
  const target = Number.isInteger(args.version)
    ? await db.promptVersion.findUnique({
        where: { promptId_number: { promptId: args.promptId, number: args.version } },
        select: { id: true, number: true },
      })
    : null;
  if (!target) throw InvalidError.field("version", "That version does not exist for this prompt.");
  if (target.id === label.versionId)
    throw InvalidError.field("version", `"${labelName}" already points at version ${target.number}.`);
  // The gate approval will apply, checked now too, so nobody is asked to approve what cannot be served.
  await assertServable(db, { versionId: target.id, number: target.number, label: labelName, field: "version" });
  return db.$transaction(async (tx) => {
    const prompt = await tx.prompt.findUnique({
      where: { id: args.promptId },
      select: { name: true, deletedAt: true },
    });
    if (!prompt || prompt.deletedAt) throw NotFoundError.prompt(args.promptId, "promptId");
    const current = await tx.label.findUnique({
      where: { promptId_name: { promptId: args.promptId, name: labelName } },
      select: { versionId: true, version: { select: { number: true } } },
    });
    if (!current) throw NotFoundError.label(labelName, nameField);
    const duplicate = await tx.labelChangeRequest.findFirst({
      where: { promptId: args.promptId, labelName, toVersionId: target.id, status: "open" },
      select: { id: true },
    });
    if (duplicate)
      throw new ConflictError(
        "changeRequest",
        `A request to point "${labelName}" at version ${target.number} is already open.`,
        "version",
      );
    const request = await tx.labelChangeRequest.create({
      data: {
        promptId: args.promptId,
        labelName,
        fromVersionId: current.versionId,
        fromNumber: current.version.number,
        toVersionId: target.id,
        toNumber: target.number,
        comment,
        proposedById: args.actor.id,
        proposedByLabel: args.actor.label ?? "",
      },
    });
    await recordAudit(tx, args.actor, {
      action: "changeRequest.open",
      target: { type: "changeRequest", id: request.id, name: requestName(prompt, labelName, target.number) },
      details: { label: labelName, from: current.version.number, to: target.number },
    });
    return request;
  });
}

/**
 * What "move this label" means for this actor: a move, or — for a protected label the actor may not
 * move (an editor, an approver, any API token) — a change request. Pages and the API share it.
 */
export async function moveOrPropose(
  db: Db,
  args: {
    promptId: string;
    name: string;
    version: number;
    comment?: unknown;
    actor: Actor;
    authEnabled: boolean;
    nameField?: string;
  },
): Promise<
  | { kind: "moved"; moved: boolean; from: number | null; to: number }
  | { kind: "proposed"; request: Awaited<ReturnType<typeof proposeLabelChange>> }
> {
  const nameField = args.nameField ?? "name";
  const name = parseInput(labelNameSchema, args.name, { path: [nameField], labels: { [nameField]: "Label name" } });
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId: args.promptId, name } },
    select: { protected: true },
  });
  if (label?.protected && !mayMoveProtected(args.actor, args.authEnabled)) {
    const request = await proposeLabelChange(db, { ...args, labelName: name, nameField });
    return { kind: "proposed", request };
  }
  const moved = await moveLabel(db, { ...args, name, nameField });
  return { kind: "moved", moved: moved.moved, from: moved.from, to: moved.to };
}

/** Whether the actor may approve or reject requests at all (admin, or a user marked approver). */
export async function mayDecide(db: Db, actor: Actor): Promise<boolean> {
  if (actor.tokenId) return false;
  if (actor.role === "admin") return true;
  if (!actor.id || !roleAtLeast(actor.role, "editor")) return false;
  const [user, approver] = await Promise.all([
    db.user.findUnique({ where: { id: actor.id }, select: { active: true } }),
    db.labelApprover.findUnique({ where: { userId: actor.id } }),
  ]);
  return !!user?.active && !!approver;
}

const decisionSchema = z.enum(["approve", "reject", "withdraw"]);

/**
 * Approves (moves the label), rejects or withdraws an open request. Refused: for a token, for
 * someone who may not decide, for the proposer approving or rejecting their own request, for a
 * request no longer open, and for a stale one (the label no longer points where it did).
 */
export async function decideChangeRequest(
  db: Db,
  args: { id: string; decision: unknown; comment?: unknown; actor: Actor; authEnabled: boolean },
) {
  const decision = parseInput(decisionSchema, args.decision, { path: ["intent"], malformed: true });
  const comment = parseInput(commentSchema, args.comment ?? "", { path: ["comment"], labels: { comment: "Comment" } });
  if (args.actor.tokenId)
    throw new ForbiddenError("An API token cannot decide a change request: a person decides in the browser.", "intent");
  const request = await db.labelChangeRequest.findUnique({ where: { id: args.id } });
  if (!request) throw new NotFoundError("changeRequest", args.id, "There is no such change request.", "id");
  const own = request.proposedById !== null && request.proposedById === args.actor.id;
  if (decision === "withdraw") {
    if (!own) throw new ForbiddenError("Only the person who proposed it can withdraw a request.", "intent");
  } else {
    if (own) throw new ForbiddenError("You cannot approve or reject your own request: someone else decides.", "intent");
    if (!(await mayDecide(db, args.actor)))
      throw new ForbiddenError("Only an admin or an approver can approve or reject a change request.", "intent");
  }
  if (request.status !== "open") throw notOpen(request.status);
  const prompt = await db.prompt.findUnique({ where: { id: request.promptId }, select: { name: true } });
  const auditTarget = {
    type: "changeRequest" as const,
    id: request.id,
    name: requestName(prompt ?? { name: request.promptId }, request.labelName, request.toNumber),
  };
  const details = { label: request.labelName, from: request.fromNumber, to: request.toNumber };
  const decided = (status: ChangeRequestStatus) => ({
    status,
    decidedAt: new Date(),
    decidedById: args.actor.id,
    decidedByLabel: args.actor.label ?? "",
    decisionComment: comment,
  });
  // Claims the request: of two deciders racing, one wins, the other is told it is no longer open.
  const claim = async (tx: Pick<Db, "labelChangeRequest">, status: ChangeRequestStatus) => {
    const { count } = await tx.labelChangeRequest.updateMany({
      where: { id: request.id, status: "open" },
      data: decided(status),
    });
    if (count !== 1) throw notOpen("decided");
  };
  if (decision !== "approve") {
    await db.$transaction(async (tx) => {
      await claim(tx, decision === "reject" ? "rejected" : "withdrawn");
      await recordAudit(tx, args.actor, {
        action: decision === "reject" ? "changeRequest.reject" : "changeRequest.withdraw",
        target: auditTarget,
        details: comment ? { ...details, comment } : details,
      });
    });
    return { status: decision === "reject" ? "rejected" : "withdrawn" };
  }
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId: request.promptId, name: request.labelName } },
    select: { versionId: true, version: { select: { number: true } } },
  });
  if (!label || label.versionId !== request.fromVersionId)
    throw new ConflictError(
      "changeRequest",
      `"${request.labelName}" no longer points at version ${request.fromNumber ?? "—"}` +
        (label ? ` (it is at version ${label.version.number} now)` : "") +
        ": this request is stale. Propose the change again against the current version.",
      "id",
    );
  await moveLabel(db, {
    promptId: request.promptId,
    name: request.labelName,
    versionId: request.toVersionId,
    actor: args.actor,
    authEnabled: args.authEnabled,
    changeRequestId: request.id,
    afterMove: async (tx, move) => {
      if (move.from !== request.fromNumber) throw notOpen("superseded");
      await claim(tx, "approved");
      await recordAudit(tx, args.actor, {
        action: "changeRequest.approve",
        target: auditTarget,
        details: comment ? { ...details, comment } : details,
      });
    },
  });
  return { status: "approved" };
}

function notOpen(status: string) {
  return new ConflictError(
    "changeRequest",
    status === "superseded"
      ? "The label moved in the meantime, so this request was superseded; propose the change again if it is still wanted."
      : `This request is no longer open (it was ${status}); reload the page.`,
    "id",
  );
}

const requestSelect = {
  id: true,
  promptId: true,
  labelName: true,
  fromNumber: true,
  toNumber: true,
  status: true,
  comment: true,
  proposedById: true,
  proposedByLabel: true,
  createdAt: true,
  decidedByLabel: true,
  decidedAt: true,
  decisionComment: true,
} as const;

/** Requests with their prompt's slug and name: open ones by default, newest first. */
export async function listChangeRequests(
  db: Db,
  args: {
    status?: ChangeRequestStatus | "all";
    promptId?: string;
    visibleTo?: { userId: string } | null;
    take?: number;
  },
) {
  const rows = await db.labelChangeRequest.findMany({
    where: {
      ...(args.status === "all" ? {} : { status: args.status ?? "open" }),
      ...(args.promptId ? { promptId: args.promptId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(args.take ?? 100, 200),
    select: requestSelect,
  });
  const prompts = await db.prompt.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.promptId))] }, deletedAt: null },
    select: { id: true, slug: true, name: true, ownerId: true, visibility: true },
  });
  const byId = new Map(prompts.map((p) => [p.id, p]));
  return rows.flatMap((r) => {
    const p = byId.get(r.promptId);
    if (!p) return [];
    if (args.visibleTo && p.visibility === "private" && p.ownerId !== args.visibleTo.userId) return [];
    return [{ ...r, prompt: { slug: p.slug, name: p.name } }];
  });
}

/** One request of the prompt `promptId` (404 when it belongs to another prompt). */
export async function getChangeRequest(db: Db, promptId: string, id: string) {
  const request = await db.labelChangeRequest.findFirst({ where: { id, promptId }, select: requestSelect });
  if (!request) throw new NotFoundError("changeRequest", id, "There is no such change request for this prompt.", "id");
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId, name: request.labelName } },
    select: { protected: true, version: { select: { number: true } } },
  });
  return { request, label: label ? { protected: label.protected, number: label.version.number } : null };
}
