/**
 * Only renderable versions are served: a label may point only at a version that renders with its
 * declared defaults and the prompt's saved test values, using the snippet versions it pinned, and
 * whose settings its model accepts. A version with problems can still be saved (a draft).
 * docs/decisions/091-only-renderable-versions-are-served.md
 */
import type { Db } from "~/server/db.server";
import { typedValues } from "~/prompt/form-values";
import { validateModelSettings } from "~/prompt/settings";
import { formatIssue } from "~/prompt/issues";

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
import { InvalidError } from "~/prompt/errors";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import { versionInclude, versionToDraft } from "./prompt-store.server";
import { partialsOf } from "./snippet-pins.server";
import { defaultTestValues } from "./test-values.server";

/** Why a version cannot be served, in words (one line per problem); empty when it can. */
export async function servingProblems(db: Db, versionId: string): Promise<string[]> {
  const version = await db.promptVersion.findUnique({ where: { id: versionId }, include: versionInclude });
  if (!version) return [];
  const draft = versionToDraft(version);
  const problems: string[] = [];
  for (const i of validateModelSettings(draft.modelSettings)) {
    if (i.severity === "error") problems.push(sentence(`Model settings, ${String(i.path[1] ?? "")}: ${i.message}`));
  }
  const raw = await defaultTestValues(db, version.promptId);
  const out = await renderDraftInPool(
    draft,
    "plain",
    typedValues(draft.variables, raw),
    partialsOf(version.snippetPins),
  );
  for (const i of out.issues) problems.push(sentence(formatIssue(i, draft.sections)));
  return [...new Set(problems)];
}

/** Throws an InvalidError naming every problem when label `name` may not point at the version. */
export async function assertServable(
  db: Db,
  args: { versionId: string; number: number; label: string; field: string },
) {
  const problems = await servingProblems(db, args.versionId);
  if (!problems.length) return;
  const headline =
    `"${args.label}" cannot point at version ${args.number}: it does not render with its defaults and saved test values` +
    ` (fix it and save a new version, or save test values for the missing variables). ${problems.join(" ")}`;
  throw new InvalidError(
    headline,
    problems.map((message) => ({ path: [args.field], message })),
  );
}
