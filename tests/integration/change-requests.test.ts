/**
 * Change requests for protected labels (issue 12), in both databases: propose, approve (the label
 * moves through moveLabel: label history, audit, renderability gate), reject, withdraw, self-approval
 * refused, a stale request (the label moved meanwhile: superseded, approving refused with a clear
 * message), a viewer cannot propose, a token can propose but never approve or move directly, an
 * approver who is not an admin may decide.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setApprover } from "~/models/accounts.server";
import type { Actor } from "~/models/audit.server";
import {
  decideChangeRequest,
  listChangeRequests,
  moveOrPropose,
  proposeLabelChange,
} from "~/models/label-change-requests.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { deletePromptForever } from "~/models/trash.server";
import { trashPrompts } from "~/models/organize.server";
import type { PromptDraft } from "~/prompt/draft";
import { problemFor } from "~/server/http/problem.server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../support/databases";

const draft = (text: string, variables: PromptDraft["variables"] = []): PromptDraft => ({
  sections: [{ id: "t", kind: "task", title: "Task", template: text, enabled: true, examples: [] }],
  variables,
  modelSettings: { model: "gpt-4o", stop: [] },
});

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  const problem = problemFor(e);
  expect(problem, String(e)).not.toBeNull();
  return { status: problem!.status, message: problem!.error };
}

describe.each(DATABASE_KINDS)("label change requests — $label", ({ kind, skip }) => {
  let t: TestDatabase;
  let promptId: string;
  let admin: Actor;
  let editor: Actor;
  let editor2: Actor;
  let viewer: Actor;
  const on = { authEnabled: true };

  const user = async (email: string, role: "admin" | "editor" | "viewer"): Promise<Actor> => {
    const u = await t.db.user.create({ data: { email, name: email, role } });
    return { id: u.id, role, label: email, address: "192.0.2.1" };
  };
  const labelAt = async (name = "production") =>
    (await t.db.label.findFirstOrThrow({ where: { promptId, name }, include: { version: true } })).version.number;

  beforeEach(async () => {
    if (skip) return;
    t = await createTestDatabase(kind);
    admin = await user("admin@example.test", "admin");
    editor = await user("editor@example.test", "editor");
    editor2 = await user("editor2@example.test", "editor");
    viewer = await user("viewer@example.test", "viewer");
    const { prompt } = await createPrompt(t.db, {
      meta: { name: "Greeter", description: "", folder: "", tags: [] },
      draft: draft("Hello v1"),
      actor: editor,
    });
    promptId = prompt.id;
    for (let v = 1; v <= 3; v++)
      await saveVersion(t.db, { promptId, baseVersion: v, draft: draft(`Hello v${v + 1}`), actor: editor });
    await moveLabel(t.db, { promptId, name: "production", version: 1, protect: true, actor: admin, ...on });
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it.skipIf(skip)("an editor proposes; an admin approves; the label moves, with history and audit", async () => {
    const r = await moveOrPropose(t.db, {
      promptId,
      name: "production",
      version: 3,
      comment: "ship it",
      actor: editor,
      ...on,
    });
    expect(r.kind).toBe("proposed");
    if (r.kind !== "proposed") return;
    expect(r.request).toMatchObject({ status: "open", fromNumber: 1, toNumber: 3, comment: "ship it" });
    expect(await labelAt()).toBe(1);
    expect((await listChangeRequests(t.db, { status: "open" })).map((c) => c.id)).toEqual([r.request.id]);
    await decideChangeRequest(t.db, { id: r.request.id, decision: "approve", comment: "ok", actor: admin, ...on });
    expect(await labelAt()).toBe(3);
    const stored = await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: r.request.id } });
    expect(stored).toMatchObject({ status: "approved", decidedById: admin.id, decisionComment: "ok" });
    // The label's history has the move, by the approver.
    const moves = await t.db.labelEvent.findMany({ orderBy: { createdAt: "asc" } });
    expect(moves.at(-1)).toMatchObject({ fromNumber: 1, toNumber: 3, actorId: admin.id });
    const actions = (await t.db.auditEvent.findMany({ where: { action: { startsWith: "changeRequest." } } })).map(
      (e) => [e.action, e.actorId],
    );
    expect(actions).toEqual([
      ["changeRequest.open", editor.id],
      ["changeRequest.approve", admin.id],
    ]);
    const move = await t.db.auditEvent.findFirstOrThrow({ where: { action: "label.move" }, orderBy: { at: "desc" } });
    expect(JSON.parse(move.details)).toMatchObject({ from: 1, to: 3, changeRequest: r.request.id });
    // Decided once: a second decision is refused.
    expect(
      (await refusal(decideChangeRequest(t.db, { id: r.request.id, decision: "reject", actor: admin, ...on }))).status,
    ).toBe(409);
  });

  it.skipIf(skip)("a rejection leaves the label and is recorded; the proposer may withdraw", async () => {
    const a = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor, ...on });
    await decideChangeRequest(t.db, { id: a.id, decision: "reject", comment: "not yet", actor: admin, ...on });
    expect(await labelAt()).toBe(1);
    expect((await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("rejected");
    expect(await t.db.auditEvent.count({ where: { action: "changeRequest.reject", actorId: admin.id } })).toBe(1);
    const b = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor, ...on });
    const notYours = await refusal(
      decideChangeRequest(t.db, { id: b.id, decision: "withdraw", actor: editor2, ...on }),
    );
    expect(notYours.status).toBe(403);
    await decideChangeRequest(t.db, { id: b.id, decision: "withdraw", actor: editor, ...on });
    expect((await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("withdrawn");
  });

  it.skipIf(skip)("nobody approves their own request; other editors only when made approvers", async () => {
    const r = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor, ...on });
    const own = await refusal(decideChangeRequest(t.db, { id: r.id, decision: "approve", actor: editor, ...on }));
    expect(own).toMatchObject({ status: 403, message: expect.stringContaining("your own request") });
    const plain = await refusal(decideChangeRequest(t.db, { id: r.id, decision: "approve", actor: editor2, ...on }));
    expect(plain).toMatchObject({ status: 403, message: expect.stringContaining("approver") });
    // An admin's own request: another admin or approver decides, not the admin.
    const mine = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 3, actor: admin, ...on });
    expect(
      (await refusal(decideChangeRequest(t.db, { id: mine.id, decision: "approve", actor: admin, ...on }))).status,
    ).toBe(403);
    expect(await labelAt()).toBe(1);
    await setApprover(t.db, editor2.id!, true, admin);
    await decideChangeRequest(t.db, { id: r.id, decision: "approve", actor: editor2, ...on });
    expect(await labelAt()).toBe(2);
    // That move superseded the admin's request for v3.
    expect((await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("superseded");
  });

  it.skipIf(skip)(
    "a stale request: the label moved meanwhile, so it is superseded and approving is refused",
    async () => {
      const r = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 3, actor: editor, ...on });
      await moveLabel(t.db, { promptId, name: "production", version: 2, actor: admin, ...on });
      expect((await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("superseded");
      expect(await t.db.auditEvent.count({ where: { action: "changeRequest.supersede", targetId: r.id } })).toBe(1);
      const refused = await refusal(decideChangeRequest(t.db, { id: r.id, decision: "approve", actor: admin, ...on }));
      expect(refused).toMatchObject({ status: 409, message: expect.stringContaining("superseded") });
      expect(await labelAt()).toBe(2);
      // An open request whose label was moved behind the app's back is refused as stale, not applied.
      const s = await proposeLabelChange(t.db, { promptId, labelName: "production", version: 3, actor: editor, ...on });
      const v1 = await t.db.promptVersion.findFirstOrThrow({ where: { promptId, number: 1 } });
      await t.db.label.updateMany({ where: { promptId, name: "production" }, data: { versionId: v1.id } });
      const stale = await refusal(decideChangeRequest(t.db, { id: s.id, decision: "approve", actor: admin, ...on }));
      expect(stale).toMatchObject({ status: 409, message: expect.stringContaining("stale") });
      expect(await labelAt()).toBe(1);
      expect((await t.db.labelChangeRequest.findUniqueOrThrow({ where: { id: s.id } })).status).toBe("open");
    },
  );

  it.skipIf(skip)("a viewer cannot propose; bad proposals are refused and write nothing", async () => {
    const before = await t.db.auditEvent.count();
    expect(
      (await refusal(proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: viewer, ...on })))
        .status,
    ).toBe(403);
    expect(
      (await refusal(proposeLabelChange(t.db, { promptId, labelName: "production", version: 1, actor: editor, ...on })))
        .message,
    ).toContain("already points");
    expect(
      (
        await refusal(
          proposeLabelChange(t.db, { promptId, labelName: "production", version: 99, actor: editor, ...on }),
        )
      ).status,
    ).toBe(422);
    await moveLabel(t.db, { promptId, name: "staging", version: 1, actor: editor, ...on });
    const before2 = await t.db.auditEvent.count();
    expect(
      (await refusal(proposeLabelChange(t.db, { promptId, labelName: "staging", version: 2, actor: editor, ...on })))
        .message,
    ).toContain("not protected");
    expect(
      (
        await refusal(
          proposeLabelChange(t.db, {
            promptId,
            labelName: "production",
            version: 2,
            comment: "x".repeat(3000),
            actor: editor,
            ...on,
          }),
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await refusal(
          proposeLabelChange(t.db, {
            promptId,
            labelName: "production",
            version: 2,
            actor: editor,
            authEnabled: false,
          }),
        )
      ).message,
    ).toContain("single-user");
    await proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor, ...on });
    const dup = await refusal(
      proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor2, ...on }),
    );
    expect(dup.status).toBe(409);
    expect(await t.db.labelChangeRequest.count()).toBe(1);
    expect(await t.db.auditEvent.count()).toBe(before2 + 1);
    expect(before2).toBe(before + 1); // the staging move
  });

  it.skipIf(skip)("a version that does not render cannot be proposed (the serving gate)", async () => {
    await saveVersion(t.db, {
      promptId,
      baseVersion: 4,
      draft: draft("Hi {{who}}", [{ name: "who", type: "string", required: true, enumValues: [], description: "" }]),
      actor: editor,
    });
    const r = await refusal(
      proposeLabelChange(t.db, { promptId, labelName: "production", version: 5, actor: editor, ...on }),
    );
    expect(r.status).toBe(422);
    expect(r.message).toContain("cannot point at version 5");
    expect(await t.db.labelChangeRequest.count()).toBe(0);
  });

  it.skipIf(skip)("an API token proposes (even an admin's) but never moves a protected label or decides", async () => {
    const adminToken: Actor = { ...admin, tokenId: "tok_admin" };
    const r = await moveOrPropose(t.db, { promptId, name: "production", version: 2, actor: adminToken, ...on });
    expect(r.kind).toBe("proposed");
    expect(await labelAt()).toBe(1);
    const direct = await refusal(
      moveLabel(t.db, { promptId, name: "production", version: 2, actor: adminToken, ...on }),
    );
    expect(direct.status).toBe(403);
    if (r.kind !== "proposed") return;
    // The proposer was the admin (through a token): another admin's token cannot decide either.
    const otherAdmin = await user("admin2@example.test", "admin");
    const byToken = await refusal(
      decideChangeRequest(t.db, {
        id: r.request.id,
        decision: "approve",
        actor: { ...otherAdmin, tokenId: "tok_2" },
        ...on,
      }),
    );
    expect(byToken).toMatchObject({ status: 403, message: expect.stringContaining("token") });
    expect(await labelAt()).toBe(1);
    // The other admin, in the browser, may.
    await decideChangeRequest(t.db, { id: r.request.id, decision: "approve", actor: otherAdmin, ...on });
    expect(await labelAt()).toBe(2);
    // An unprotected label moves at once, even by token.
    const moved = await moveOrPropose(t.db, {
      promptId,
      name: "staging",
      version: 3,
      actor: { ...editor, tokenId: "tok_e" },
      ...on,
    });
    expect(moved).toMatchObject({ kind: "moved", to: 3 });
  });

  it.skipIf(skip)("purging the prompt removes its requests", async () => {
    await proposeLabelChange(t.db, { promptId, labelName: "production", version: 2, actor: editor, ...on });
    await trashPrompts(t.db, [promptId], new Date(), editor);
    expect(await listChangeRequests(t.db, { status: "open" })).toEqual([]);
    await deletePromptForever(t.db, promptId, admin);
    expect(await t.db.labelChangeRequest.count()).toBe(0);
  });
});
