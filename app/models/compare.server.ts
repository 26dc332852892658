/**
 * Comparing two versions of a prompt: the structural diff (sections, variables, model settings)
 * and the rendered output of both for the same variable values, through the shared renderer.
 */
import type { Db } from "~/server/db.server";
import { diffDrafts, diffText, type TextOp } from "~/prompt/diff";
import { unionVariables } from "~/prompt/compare";
import { typedValues } from "~/prompt/form-values";
import { TARGETS, type Target } from "~/prompt/targets";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import { requirePrompt, requireVersion } from "./history.server";

export type CompareOptions = { values?: Record<string, string>; target?: string };

export async function comparePrompts(db: Db, slug: string, a: number, b: number, options: CompareOptions = {}) {
  const prompt = await requirePrompt(db, slug);
  const [va, vb, versions] = await Promise.all([
    requireVersion(db, prompt.id, a, "a"),
    requireVersion(db, prompt.id, b, "b"),
    db.promptVersion.findMany({
      where: { promptId: prompt.id },
      orderBy: { number: "desc" },
      take: 200,
      select: { number: true, message: true },
    }),
  ]);
  const diff = diffDrafts(va.draft, vb.draft);
  const variables = unionVariables(va.draft.variables, vb.draft.variables);
  const target: Target = (TARGETS as readonly string[]).includes(options.target ?? "")
    ? (options.target as Target)
    : "plain";
  const values = typedValues(variables, options.values ?? {});
  const [ra, rb] = await Promise.all([
    renderDraftInPool(va.draft, target, values, va.partials),
    renderDraftInPool(vb.draft, target, values, vb.partials),
  ]);
  const renderedOps: TextOp[] = diffText(ra.text, rb.text);
  return {
    prompt,
    versions,
    a: { number: va.number, message: va.message, author: va.author, createdAt: va.createdAt },
    b: { number: vb.number, message: vb.message, author: vb.author, createdAt: vb.createdAt },
    diff,
    variables,
    values: options.values ?? {},
    target,
    rendered: { a: { ok: ra.ok, issues: ra.issues }, b: { ok: rb.ok, issues: rb.issues }, ops: renderedOps },
  };
}
