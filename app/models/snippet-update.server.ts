/**
 * "Update dependents": for each prompt whose head version pins an older version of a snippet, the
 * rendered diff (with its defaults and saved test values) and the problems the newest snippet
 * version brings; then, for the ones the user selects, a new prompt version pinned to it — and
 * including it by its current name where it was renamed since. Labels
 * never move here: that stays a decision made on the prompt's page (and checked there).
 */
import type { Db } from "~/server/db.server";
import { diffText, type TextOp } from "~/prompt/diff";
import { NotFoundError } from "~/prompt/errors";
import { typedValues } from "~/prompt/form-values";
import { formatIssue } from "~/prompt/issues";
import { partialNames, renamePartialInDraft } from "~/prompt/partials";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import type { Actor } from "./audit.server";
import { saveVersion, versionInclude, versionToDraft } from "./prompt-store.server";
import { snippetDependents } from "./snippet-dependents.server";
import { currentSnippets, partialsOf, resolvePins, type SnippetPin } from "./snippet-pins.server";
import { defaultTestValues } from "./test-values.server";
import type { VisibleTo } from "./library.server";

export type DependentUpdate = {
  slug: string;
  promptName: string;
  version: number;
  labels: string[];
  pinnedNumber: number;
  /** The name its templates include the snippet by, when that is an older one (renamed since). */
  includedAs: string | null;
  ops: TextOp[];
  problems: string[];
};

/**
 * The head dependents to update. With `mayChange` (the actor's visibility: an editor may change
 * shared prompts and their own private ones), other users' private prompts are left out and counted
 * in `skipped`, never shown or touched.
 */
async function plan(db: Db, name: string, mayChange: VisibleTo = null) {
  const snippet = await db.snippet.findFirst({
    where: { name, deletedAt: null },
    select: { id: true, name: true, headVersion: true },
  });
  if (!snippet) throw NotFoundError.snippet(name);
  const current = await currentSnippets(db);
  const newest = current.get(name)!;
  const lagging = (d: { isHead: boolean; pinnedNumber: number }) => d.isHead && d.pinnedNumber < snippet.headVersion;
  const heads = (await snippetDependents(db, snippet.id, mayChange)).filter(lagging);
  const skipped = mayChange ? (await snippetDependents(db, snippet.id)).filter(lagging).length - heads.length : 0;
  const items = [];
  for (const d of heads) {
    const version = await db.promptVersion.findUniqueOrThrow({ where: { id: d.versionId }, include: versionInclude });
    // Pinned under an older name (the snippet was renamed since): the new version includes it by
    // its name now, which is also the only name a new save may write.
    const pinnedAs = version.snippetPins.find((p) => p.snippetId === snippet.id)?.name ?? name;
    const oldDraft = versionToDraft(version);
    const draft = renamePartialInDraft(oldDraft, pinnedAs, name);
    // Keep every other pin; this snippet moves to its newest version (and what that one includes
    // resolves to the pins the version already has, else to the newest).
    const available = new Map<string, SnippetPin>([...current]);
    for (const p of version.snippetPins) available.set(p.name, p);
    available.set(name, newest);
    const pins = resolvePins(partialNames(draft), available);
    items.push({
      dependent: d,
      promptId: version.promptId,
      draft,
      oldDraft,
      pinnedAs,
      oldPins: version.snippetPins,
      pins,
    });
  }
  return { snippet, items, skipped };
}

/** What updating each head dependent to the newest snippet version would change, and its problems. */
export async function previewDependentUpdates(db: Db, name: string, mayChange: VisibleTo = null) {
  const { snippet, items, skipped } = await plan(db, name, mayChange);
  const updates: DependentUpdate[] = [];
  for (const it of items) {
    const values = typedValues(it.draft.variables, await defaultTestValues(db, it.promptId));
    const [before, after] = await Promise.all([
      renderDraftInPool(it.oldDraft, "plain", values, partialsOf(it.oldPins)),
      renderDraftInPool(it.draft, "plain", values, partialsOf(it.pins)),
    ]);
    updates.push({
      slug: it.dependent.slug,
      promptName: it.dependent.promptName,
      version: it.dependent.version,
      labels: it.dependent.labels,
      pinnedNumber: it.dependent.pinnedNumber,
      includedAs: it.pinnedAs === snippet.name ? null : it.pinnedAs,
      ops: diffText(before.text, after.text),
      problems: [...new Set(after.issues.map((i) => formatIssue(i, it.draft.sections)))],
    });
  }
  return { snippet: { name: snippet.name, headVersion: snippet.headVersion }, updates, skipped };
}

/**
 * Saves, for each selected prompt (by slug), its head version again pinned to the newest snippet
 * version: one new version per prompt, each in its own transaction. Only prompts the actor may
 * change (`mayChange`) are touched, whatever slugs are sent. Returns the versions made and how
 * many lagging prompts were skipped as not the actor's to change.
 */
export async function applyDependentUpdates(
  db: Db,
  name: string,
  slugs: readonly string[],
  mayChange: VisibleTo = null,
  actor: Actor | null = null,
) {
  const { snippet, items, skipped } = await plan(db, name, mayChange);
  const chosen = new Set(slugs);
  const made: Array<{ slug: string; version: number }> = [];
  for (const it of items) {
    if (!chosen.has(it.dependent.slug)) continue;
    const v = await saveVersion(db, {
      promptId: it.promptId,
      baseVersion: it.dependent.version,
      draft: it.draft,
      message:
        it.pinnedAs === snippet.name
          ? `Use snippet "${snippet.name}" v${snippet.headVersion} (was v${it.dependent.pinnedNumber})`
          : `Use snippet "${snippet.name}" v${snippet.headVersion} (was "${it.pinnedAs}" v${it.dependent.pinnedNumber})`,
      pins: it.pins,
      actor,
      audit: { action: "version.save", details: { snippet: snippet.name, snippetVersion: snippet.headVersion } },
    });
    made.push({ slug: it.dependent.slug, version: v.number });
  }
  return { made, skipped };
}
